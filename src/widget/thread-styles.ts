// The thread's part of the widget's stylesheet: the message list, bubbles, internal notes, record events,
// the typing line and the composer with its audience switch. Placed inside styles.ts, in cascade order.

export const threadStyles = `
.messages-frame { position: relative; flex: 1; min-height: 0; display: flex; flex-direction: column; }
.messages {
  flex: 1; min-height: 0; overflow-y: auto; overflow-anchor: none; position: relative; overscroll-behavior: contain;
  padding-bottom: 24px; display: flex; flex-direction: column;
}
.messages > * { flex: none; }
/* A short thread sits just above the composer, as in any chat. */
.messages > :first-child { margin-top: auto; }
.row { padding: 0 14px; display: flow-root; }
.thread-start { padding: 28px 12px 6px; text-align: center; color: var(--muted); font-size: 13px; }
.thread-start p { margin: 0; }
.thread-start .empty-icon { width: 48px; height: 48px; margin-bottom: 10px; }
.thread-start .empty-title { margin-bottom: 2px; }
.thread-more { padding: 14px 0 4px; text-align: center; }
.day {
  display: flex; align-items: center; gap: 12px; padding: 14px 0 6px;
  font-size: 12px; font-weight: 600; color: var(--muted);
}
.day::before, .day::after { content: ''; flex: 1; height: 1px; background: var(--border); }
.message { display: flex; gap: 8px; padding-top: 2px; }
.message.first { padding-top: 10px; }
.message.mine { justify-content: flex-end; }
.gutter { width: 32px; flex: none; padding-top: 20px; }
.gutter .avatar { width: 32px; height: 32px; font-size: 12px; }
.message-content { max-width: 80%; min-width: 0; display: flex; flex-direction: column; align-items: flex-start; }
.mine .message-content { align-items: flex-end; }
.message-meta { display: flex; align-items: baseline; gap: 8px; margin: 0 6px 3px; font-size: 12px; color: var(--muted); }
.sender { color: var(--text); font-size: 13px; font-weight: 600; }
.bubble {
  max-width: 100%; padding: 8px 12px; border-radius: 18px; background: var(--surface); color: var(--text);
  overflow-wrap: anywhere; line-height: 1.45;
}
.theirs:not(.last) .bubble { border-bottom-left-radius: 6px; }
.theirs:not(.first) .bubble { border-top-left-radius: 6px; }
.mine:not(.last) .bubble { border-bottom-right-radius: 6px; }
.mine:not(.first) .bubble { border-top-right-radius: 6px; }
.mine .bubble { background: var(--brand); color: var(--on-brand); }
.bubble p { margin: 0; }
.bubble p + p, .bubble p + ul, .bubble p + ol, .bubble ul + p, .bubble ol + p, .bubble pre + p { margin-top: 6px; }
.bubble ul, .bubble ol { margin: 2px 0; padding-left: 20px; }
/* Links in a host event's chip look like those in a bubble: same tokens, light and dark. */
.bubble a, .event a { color: var(--link); text-decoration: underline; text-underline-offset: 2px; }
.mine .bubble a { color: inherit; }
.bubble .record-link, .event .record-link {
  padding: 0; border: 0; background: none; font: inherit; color: var(--link); font-weight: 600;
  text-decoration: underline dotted; text-underline-offset: 2px; cursor: pointer;
}
.mine .bubble .record-link { color: inherit; }
.bubble code { font: .9em/1.4 var(--mono); padding: .1em .35em; border-radius: 5px; background: var(--tint); }
.mine .bubble code, .mine .bubble pre { background: rgba(15,23,42,.22); }
.bubble pre {
  margin: 6px 0; padding: 8px 10px; border-radius: 8px; background: var(--tint);
  overflow-x: auto; white-space: pre; font: 12.5px/1.45 var(--mono);
}
.bubble pre code { background: none; padding: 0; font: inherit; }
.message-status {
  display: flex; align-items: center; gap: 6px; flex-wrap: wrap; margin: 3px 6px 0;
  font-size: 12px; color: var(--muted);
}
.message-status.failed {
  display: grid; grid-template-columns: auto 1fr; gap: 4px 6px; align-items: start; color: var(--danger);
}
.message-status.failed .icon { margin-top: 2px; }
.status-actions { grid-column: 2; display: flex; gap: 14px; }
.message-status.failed .link-button { color: var(--danger); }
.failed .bubble { box-shadow: 0 0 0 2px var(--danger); }
.receipt { padding: 4px 6px 0; text-align: right; font-size: 11.5px; color: var(--muted); }
.event {
  display: flex; justify-content: center; align-items: baseline; gap: 8px; margin: 10px auto 0; max-width: 90%;
  padding: 6px 12px; border-radius: 10px; background: var(--tint); color: var(--muted); font-size: 12.5px;
  text-align: center; overflow-wrap: anywhere;
}
.event p { margin: 0; }
.event time { flex: none; font-size: 11.5px; }
.jump {
  position: absolute; bottom: 12px; left: 50%; transform: translateX(-50%); display: flex; align-items: center;
  gap: 6px; height: 32px; padding: 0 12px; border-radius: 16px; border: 1px solid var(--border);
  background: var(--bg); color: var(--text); font-size: 13px; font-weight: 600; box-shadow: var(--shadow);
}

.composer-area { position: relative; flex: none; }
.typing {
  position: absolute; bottom: 100%; left: 0; right: 0; display: flex; align-items: center; gap: 8px;
  padding: 10px 16px 4px; font-size: 12.5px; color: var(--muted);
  background: linear-gradient(to bottom, transparent, var(--bg) 45%);
}
.typing-dots { display: inline-flex; gap: 3px; }
.typing-dots span {
  width: 5px; height: 5px; border-radius: 50%; background: currentColor;
  animation: parley-typing 1.2s infinite ease-in-out;
}
.typing-dots span:nth-child(2) { animation-delay: .15s; }
.typing-dots span:nth-child(3) { animation-delay: .3s; }
@keyframes parley-typing { 0%, 60%, 100% { opacity: .35; transform: none; } 30% { opacity: 1; transform: translateY(-3px); } }
.composer {
  display: flex; align-items: flex-end; gap: 8px; border-top: 1px solid var(--border); background: var(--bg);
  padding: 10px 12px calc(10px + env(safe-area-inset-bottom));
}
.composer textarea {
  flex: 1; min-height: 40px; max-height: 140px; resize: none; border: 1px solid var(--border); border-radius: 20px;
  padding: 9px 14px; line-height: 1.4; background: var(--surface); color: var(--text); outline: none;
  overflow-y: auto;
}
.send {
  flex: none; width: 40px; height: 40px; border-radius: 50%; border: 0; display: grid; place-items: center;
  background: var(--brand); color: var(--on-brand); transition: background .15s ease;
}
.send:disabled { background: var(--surface-strong); color: var(--muted); }
.composer { flex-wrap: wrap; position: relative; }
.mentions {
  position: absolute; bottom: 100%; left: 12px; right: 12px; z-index: 2; margin: 0 0 4px; padding: 4px;
  background: var(--bg); border: 1px solid var(--border); border-radius: 10px; box-shadow: var(--shadow);
}
.mentions [role=option] { padding: 7px 10px; border-radius: 6px; cursor: pointer; font-size: 14px; }
.mentions [aria-selected=true] { background: var(--surface-strong); }
.mention-hint { margin-left: 8px; color: var(--muted); font-size: 12.5px; }
.audience { flex-basis: 100%; margin: 0; padding: 0; border: 0; min-width: 0; }
.audience-switch { display: inline-flex; border: 1px solid var(--border); border-radius: 999px; padding: 2px; }
.audience-switch button {
  display: inline-flex; align-items: center; gap: 4px; height: 26px; padding: 0 10px; border: 0;
  border-radius: 999px; background: none; color: var(--muted); font-size: 12.5px; font-weight: 600;
}
.audience-switch button[aria-pressed=true] { background: var(--surface-strong); color: var(--text); }
.note .audience-switch button[aria-pressed=true] { background: var(--warning); color: var(--on-warning); }
.audience-line {
  flex-basis: 100%; display: flex; align-items: center; gap: 5px; margin: 0 4px; font-size: 12px; color: var(--muted);
}
.composer.note { background: var(--warning); }
.composer.note .audience-line { color: var(--on-warning); }
.composer.note textarea { border-color: var(--on-warning); border-style: dashed; }
.message.note .bubble, .mine.note .bubble {
  background: var(--warning); color: var(--on-warning); box-shadow: inset 0 0 0 1px var(--on-warning);
}
.mine.note .bubble a { color: var(--on-warning); }
.row.focused .bubble { animation: parley-focus 2.4s ease-out; }
@keyframes parley-focus { 0%, 40% { box-shadow: 0 0 0 3px var(--focus); } 100% { box-shadow: 0 0 0 0 transparent; } }
.note-tag {
  display: inline-flex; align-items: center; gap: 3px; padding: 0 6px; border-radius: 999px;
  background: var(--warning); color: var(--on-warning); font-size: 11px; font-weight: 600;
}
.archived {
  margin: 0; padding: 14px 16px calc(14px + env(safe-area-inset-bottom)); border-top: 1px solid var(--border);
  text-align: center; font-size: 13px; color: var(--muted);
}
`;
