// The widget's whole stylesheet, placed inside its shadow root. Hosts theme it with custom properties on
// the element: --parley-brand, --parley-on-brand, --parley-radius, --parley-font, and the colours
// --parley-bg, --parley-surface, --parley-text, --parley-muted, --parley-border, --parley-link (each also as
// --parley-dark-… for the dark theme). Text colours meet WCAG AA (4.5:1) on the surfaces they sit on.

import { attachmentStyles } from './attachment-styles.ts';
import { channelStyles } from './channel-styles.ts';
import { messageActionStyles } from './message-action-styles.ts';
import { placementStyles } from './placement-styles.ts';
import { recordStyles } from './record-styles.ts';
import { threadStyles } from './thread-styles.ts';

/** The colour set of a theme; the host's custom property wins over each default. */
function palette(prefix: string, colours: Record<string, string>): string {
  return Object.entries(colours)
    .map(([name, fallback]) => `--${name}: var(--parley-${prefix}${name}, ${fallback});`)
    .join('');
}

const light = palette('', {
  bg: '#ffffff',
  surface: '#f1f5f9',
  'surface-strong': '#e2e8f0',
  text: '#0f172a',
  muted: '#475569',
  border: '#e2e8f0',
  link: '#1d4ed8',
  danger: '#b91c1c',
  focus: '#2563eb',
  warning: '#fef3c7',
  'on-warning': '#78350f',
});

const dark = palette('dark-', {
  bg: '#0f172a',
  surface: '#1e293b',
  'surface-strong': '#334155',
  text: '#f1f5f9',
  muted: '#a5b4c8',
  border: '#293548',
  link: '#93c5fd',
  danger: '#fca5a5',
  focus: '#60a5fa',
  warning: '#422006',
  'on-warning': '#fde68a',
});

const darkExtras = `${dark} color-scheme: dark; --shadow: 0 16px 48px rgba(0,0,0,.55), 0 2px 8px rgba(0,0,0,.4);
  --tint: rgba(255,255,255,.08); --avatar-s: 60%; --avatar-l: 26%; --avatar-text-l: 90%;`;

export const styles = `
:host {
  all: initial;
  display: block;
  ${light}
  --brand: var(--parley-brand, #2563eb);
  --on-brand: var(--parley-on-brand, #ffffff);
  --radius: var(--parley-radius, 16px);
  --font: var(--parley-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  --badge: #dc2626;
  --online: #16a34a;
  --away: #d97706;
  --offline: #94a3b8;
  --shadow: 0 16px 48px rgba(15,23,42,.18), 0 2px 8px rgba(15,23,42,.08);
  --tint: rgba(15,23,42,.06);
  --avatar-s: 65%;
  --avatar-l: 90%;
  --avatar-text-l: 26%;
  color-scheme: light;
}
:host([theme=dark]) { ${darkExtras} }
@media (prefers-color-scheme: dark) { :host([theme=auto]) { ${darkExtras} } }
:host([mode=page]) { height: 100%; }

*, *::before, *::after { box-sizing: border-box; }
.root { font: 14px/1.45 var(--font); color: var(--text); -webkit-font-smoothing: antialiased; height: 100%; }
button, input, textarea { font: inherit; color: inherit; }
button { cursor: pointer; }
button:disabled { cursor: default; }
[hidden] { display: none !important; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}
.icon { flex: none; display: block; }

.launcher {
  position: fixed; bottom: max(20px, env(safe-area-inset-bottom)); right: 20px; z-index: 2147483000;
  width: 56px; height: 56px; border-radius: 50%; border: 0; display: grid; place-items: center;
  background: var(--brand); color: var(--on-brand); box-shadow: 0 6px 20px rgba(15,23,42,.28);
  transition: transform .15s ease, box-shadow .15s ease;
}
.launcher:hover { transform: scale(1.06); box-shadow: 0 8px 26px rgba(15,23,42,.32); }
.launcher:focus-visible { outline: 3px solid var(--focus); outline-offset: 3px; }
.launcher-badge {
  position: absolute; top: -3px; right: -3px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; background: var(--badge); color: #fff; border: 2px solid #fff;
  font: 700 11.5px/18px var(--font); text-align: center;
}
:host([position=left]) .launcher { right: auto; left: 20px; }

.panel { display: flex; background: var(--bg); color: var(--text); overflow: hidden; position: relative; }
.panel:focus { outline: none; }
.panel.floating {
  position: fixed; z-index: 2147483000; right: 20px; bottom: 88px;
  width: 384px; height: min(680px, calc(100vh - 112px)); border-radius: var(--radius);
  box-shadow: var(--shadow); transform-origin: bottom right; animation: parley-in .18s ease-out;
}
:host([position=left]) .panel.floating { right: auto; left: 20px; transform-origin: bottom left; }
.panel.page { width: 100%; height: 100%; container-type: inline-size; }
@keyframes parley-in { from { opacity: 0; transform: translateY(8px) scale(.98); } }

.pane { flex: 1; min-width: 0; display: flex; flex-direction: column; }
.panel[data-view=list] .pane-main, .panel:not([data-view=list]) .pane-list { display: none; }
@container (min-width: 720px) {
  .panel.page[data-view] .pane { display: flex; }
  .panel.page[data-view] .pane-list { flex: 0 0 320px; border-right: 1px solid var(--border); }
  .panel.page .pane-main .back { display: none; }
  .panel.page .pane-main .header { padding-left: 16px; }
  .panel.page .message-content { max-width: min(80%, 640px); }
}
.view { flex: 1; min-height: 0; display: flex; flex-direction: column; position: relative; }
.pick { margin: auto; padding: 24px; color: var(--muted); text-align: center; }

.header {
  display: flex; align-items: center; gap: 10px; min-height: 64px; padding: 12px 10px 12px 16px;
  background: var(--brand); color: var(--on-brand); flex: none;
}
.header:has(.back) { padding-left: 6px; }
.header-text { flex: 1; min-width: 0; }
.header h2 {
  margin: 0; font-size: 16px; line-height: 1.3; font-weight: 650;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.header-subtitle {
  font-size: 12.5px; line-height: 1.3; margin-top: 1px;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.header-actions { display: flex; gap: 2px; flex: none; }
.icon-button {
  width: 36px; height: 36px; border-radius: 50%; border: 0; background: transparent;
  display: grid; place-items: center; color: inherit; flex: none;
}
.icon-button:hover { background: rgba(255,255,255,.16); }
.icon-button.small { width: 30px; height: 30px; }
.header :focus-visible { outline-color: var(--on-brand); }
.header .avatar { box-shadow: 0 0 0 2px rgba(255,255,255,.35); }
.status { display: inline-flex; align-items: center; gap: 6px; }
.status-dot { width: 8px; height: 8px; border-radius: 50%; background: #fbbf24; }
.status-dot.connected { background: #4ade80; }
.status-dot.offline { background: #fca5a5; }

.banner { flex: none; padding: 8px 16px; font-size: 12.5px; background: var(--warning); color: var(--on-warning); }
.toolbar { padding: 12px 12px 6px; flex: none; }
.search { position: relative; display: block; color: var(--muted); }
.search .icon { position: absolute; left: 12px; top: 11px; pointer-events: none; }
.search input, .field input {
  width: 100%; height: 38px; border: 1px solid var(--border); border-radius: 10px;
  background: var(--surface); color: var(--text); padding: 0 12px 0 36px; outline: none; text-overflow: ellipsis;
}
.field input { padding-left: 12px; background: var(--bg); }
.search input::placeholder, .field input::placeholder, textarea::placeholder { color: var(--muted); opacity: 1; }
.search input:focus, .field input:focus, .composer textarea:focus {
  border-color: var(--brand); box-shadow: 0 0 0 3px color-mix(in srgb, var(--brand) 22%, transparent);
}
.search input::-webkit-search-cancel-button { cursor: pointer; }

.prompt {
  display: flex; align-items: center; gap: 8px; margin: 6px 12px 2px; padding: 6px 6px 6px 12px; border-radius: 12px;
  background: color-mix(in srgb, var(--brand) 9%, var(--bg)); font-size: 13px; line-height: 1.35; flex: none;
}
.prompt > .icon { color: var(--brand); }
.prompt-text { flex: 1; }
.prompt .icon-button { color: var(--muted); }
.prompt .icon-button:hover { background: var(--surface-strong); }

.scroll { flex: 1; min-height: 0; overflow-y: auto; overscroll-behavior: contain; }
.conversations, .people, .channels { list-style: none; margin: 0; padding: 4px 0 8px; }
.section-title {
  margin: 0; padding: 14px 16px 4px; font-size: 11.5px; font-weight: 650; letter-spacing: .05em;
  text-transform: uppercase; color: var(--muted);
}
.conversation, .person {
  display: flex; align-items: center; gap: 12px; width: 100%; padding: 10px 16px; border: 0;
  background: none; text-align: left; color: var(--text);
}
.conversation:hover, .person:hover { background: var(--surface); }
.conversation[aria-current=true] { background: color-mix(in srgb, var(--brand) 11%, var(--bg)); }
.conversation:focus-visible, .person:focus-visible, .messages:focus-visible { outline-offset: -2px; }
.conversation-text, .person-text, .channel-text { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 2px; }
.conversation-line { display: flex; align-items: center; gap: 6px; min-width: 0; }
.conversation-title, .person-name, .channel-name {
  font-weight: 550; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.conversation-time { margin-left: auto; padding-left: 6px; font-size: 12px; color: var(--muted); flex: none; }
.conversation-preview, .person-detail, .channel-detail {
  flex: 1; min-width: 0; font-size: 13px; color: var(--muted);
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.conversation.unread .conversation-title { font-weight: 700; }
.conversation.unread .conversation-preview { color: var(--text); }
.conversation.unread .conversation-time { color: var(--link); font-weight: 600; }
.muted-icon { color: var(--muted); display: inline-flex; }
.count-badge, .mention-badge {
  flex: none; min-width: 20px; height: 20px; padding: 0 6px; border-radius: 10px;
  font-size: 11.5px; font-weight: 700; line-height: 20px; text-align: center;
  background: var(--brand); color: var(--on-brand);
}
.mention-badge { background: var(--badge); color: #fff; }
.conversation.muted .count-badge { background: var(--surface-strong); color: var(--muted); }
.conversation.muted.unread .conversation-time { color: var(--muted); }

.avatar {
  position: relative; flex: none; width: 40px; height: 40px; border-radius: 50%;
  display: grid; place-items: center; font-size: 14px; font-weight: 650; letter-spacing: .02em;
  background: hsl(var(--hue) var(--avatar-s) var(--avatar-l)); color: hsl(var(--hue) 70% var(--avatar-text-l));
}
.avatar.small { width: 32px; height: 32px; font-size: 12px; }
.avatar.channel { border-radius: 11px; }
.avatar.small.channel { border-radius: 9px; }
.presence {
  position: absolute; right: -1px; bottom: -1px; width: 12px; height: 12px; border-radius: 50%;
  border: 2px solid var(--bg); background: var(--offline);
}
.avatar.small .presence { width: 10px; height: 10px; }
.presence.online { background: var(--online); }
.presence.away { background: var(--away); }
.header .presence { border-color: var(--brand); }

.footer {
  flex: none; padding: 10px 12px calc(10px + env(safe-area-inset-bottom)); border-top: 1px solid var(--border);
  background: var(--bg);
}
.footer.stack { display: flex; flex-direction: column; gap: 8px; }
.button {
  display: inline-flex; align-items: center; justify-content: center; gap: 6px; height: 38px; padding: 0 16px;
  border-radius: 10px; border: 1px solid transparent; font-size: 14px; font-weight: 600; white-space: nowrap;
  background: var(--surface); color: var(--text);
}
.button.primary { background: var(--brand); color: var(--on-brand); }
.button.primary:hover:not(:disabled) { background: color-mix(in srgb, var(--brand) 88%, #000); }
.button.ghost { background: transparent; border-color: var(--border); }
.button.ghost:hover:not(:disabled) { background: var(--surface); }
.button.small { height: 32px; padding: 0 12px; font-size: 13px; }
.button.wide { width: 100%; }
.button:disabled { opacity: .6; }
.link-button {
  border: 0; padding: 0; background: none; color: var(--link); font-weight: 600;
  text-decoration: underline; text-underline-offset: 2px;
}
.empty { padding: 40px 28px; text-align: center; color: var(--muted); font-size: 13.5px; }
.empty p { margin: 0 0 4px; }
.empty .button { margin-top: 16px; }
.empty-icon {
  display: inline-grid; place-items: center; width: 56px; height: 56px; margin-bottom: 14px; border-radius: 50%;
  background: color-mix(in srgb, var(--brand) 12%, var(--bg)); color: var(--brand);
}
.empty-title { color: var(--text); font-size: 15px; font-weight: 650; }
.notice { margin: 0; padding: 28px 20px; text-align: center; font-size: 13.5px; color: var(--muted); }
/* Where a part of the extras chunk goes while it loads, or when it could not. */
.notice.extra-state { padding: 10px 12px; }
.error { margin: 0; font-size: 13px; color: var(--danger); }
.banner-error { padding: 8px 16px; }
.toast {
  position: absolute; left: 12px; right: 12px; bottom: 80px; z-index: 2; padding: 10px 14px; border-radius: 10px;
  background: var(--text); color: var(--bg); font-size: 13px; box-shadow: var(--shadow);
}

.check {
  flex: none; width: 22px; height: 22px; border-radius: 50%; border: 2px solid var(--surface-strong);
  display: grid; place-items: center;
}
.person[aria-pressed=true] .check { background: var(--brand); border-color: var(--brand); color: var(--on-brand); }
.channel-item { display: flex; align-items: center; gap: 12px; padding: 10px 16px; }
.tag {
  display: inline-flex; align-items: center; gap: 3px; margin-left: 6px; padding: 1px 6px; border-radius: 6px;
  background: var(--surface); color: var(--muted); font-size: 11px; font-weight: 600; vertical-align: 1px;
}

.search-scope {
  display: flex; align-items: center; justify-content: space-between; gap: 8px; margin: 0 12px 6px;
  padding: 2px 4px 2px 12px; border-radius: 999px; background: var(--surface); font-size: 12.5px; font-weight: 600;
}
${threadStyles}
${messageActionStyles}
${attachmentStyles}
${recordStyles}
${placementStyles}
${channelStyles}

@media (max-width: 639.98px) {
  .panel.floating {
    top: var(--parley-viewport-top, 0); left: 0; right: 0; bottom: auto; width: 100%;
    height: var(--parley-viewport-height, 100%); border-radius: 0; animation: none;
    padding: 0 env(safe-area-inset-right) 0 env(safe-area-inset-left);
  }
  :host([position=left]) .panel.floating { left: 0; }
  .panel.floating .header { padding-top: calc(12px + env(safe-area-inset-top)); }
  .panel.floating ~ .launcher { display: none; }
  .message-content { max-width: 85%; }
}
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation: none !important; transition: none !important; }
}
`;
