// The extras chunk's part of the widget's stylesheet: the reaction picker, the lightbox, a channel's
// settings, message search hits, a message's earlier versions and the notification settings. Each part of
// the chunk brings it into the shadow root with itself (components/Extra.tsx); the build minifies it as it
// does styles.ts.

export const styles = `
.picker { width: 280px; padding: 4px; }
.emoji-grid { display: grid; grid-template-columns: repeat(7, 1fr); max-height: 200px; overflow-y: auto; margin-top: 4px; }
.picker .emoji {
  flex: 0 0 auto; justify-content: center; width: 36px; height: 36px; padding: 0; font-size: 20px;
  border: 0; border-radius: 8px; background: none;
}
.picker .emoji:hover, .picker .emoji:focus-visible { background: var(--surface); }
.picker-empty { margin: 12px 4px; color: var(--muted); font-size: 13px; }

.lightbox { max-width: 96vw; max-height: 96vh; padding: 0; border: 0; border-radius: 12px; background: var(--bg); }
.lightbox::backdrop { background: rgb(0 0 0 / .7); }
.lightbox img { display: block; max-width: 96vw; max-height: 90vh; }
.lightbox .icon-button { position: absolute; top: 6px; right: 6px; background: var(--bg); }

.settings .section-title { margin: 4px 0 0; }
.rename { display: flex; align-items: flex-end; gap: 8px; }
.rename .field { flex: 1; }
.member { display: flex; align-items: center; gap: 10px; padding: 6px 0; }
.settings-actions.row-actions { flex-direction: row; justify-content: flex-end; }
/* Leaving a channel: a quiet button in the danger colour, not the solid one a delete confirmation has. */
.button.ghost.danger { background: transparent; color: var(--danger); }

.hit-text {
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;
  font-size: 13px; color: var(--muted); overflow-wrap: anywhere;
}
.hit-text .sender { font-size: 13px; }
.hit-text mark { background: var(--warning); color: var(--on-warning); border-radius: 3px; padding: 0 1px; }
.message-search { padding-bottom: 8px; }

.versions {
  width: min(92vw, 440px); max-height: 80vh; padding: 0; border: 0; border-radius: 14px;
  background: var(--bg); color: var(--text); box-shadow: var(--shadow); font: 14px/1.45 var(--font);
}
.versions::backdrop { background: rgb(15 23 42 / .45); }
.versions-head { display: flex; align-items: center; justify-content: space-between; padding: 10px 10px 6px 16px; }
.versions-head h3 { margin: 0; font-size: 15px; }
.versions-list { margin: 0; padding: 0 16px 14px; list-style: none; }
.versions-list li { padding: 8px 0; border-top: 1px solid var(--border); overflow-wrap: anywhere; }
.versions-list p { margin: 0; }
.version-time { font-size: 12px; color: var(--muted); }

.notification-settings { gap: 18px; }
.notification-settings legend { padding: 0; }
.notification-settings .choice { align-items: flex-start; line-height: 1.35; }
.notification-settings .choice input { flex: none; margin-top: 1px; }
.notification-settings select {
  height: 38px; padding: 0 10px; border: 1px solid var(--border); border-radius: 10px;
  background: var(--bg); color: var(--text); font: inherit;
}
.notification-settings select:disabled { opacity: .6; }
.notification-settings .field { max-width: 220px; }
.quiet-times { display: flex; gap: 12px; }
.quiet-times .field { flex: 1; }
.test-email { display: flex; flex-direction: column; align-items: flex-start; gap: 4px; margin-top: 4px; }
.save-status { min-height: 40px; margin: 0; font-size: 13px; color: var(--muted); }
.push-devices { display: flex; flex-direction: column; align-items: flex-start; gap: 6px; margin-top: 4px; }
.push-devices .devices { list-style: none; margin: 0; padding: 0; align-self: stretch; }
.push-devices .devices li {
  display: flex; align-items: center; justify-content: space-between; gap: 8px;
  padding: 6px 0; border-top: 1px solid var(--border);
}
.device-text { display: flex; flex-direction: column; min-width: 0; overflow-wrap: anywhere; }
.push-devices .field-hint { margin: 0; }

@media (max-width: 639.98px) {
  .picker { width: 100%; }
  .emoji-grid { grid-template-columns: repeat(8, 1fr); }
}
`;
