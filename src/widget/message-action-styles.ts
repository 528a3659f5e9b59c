// The stylesheet's part for acting on messages: the "⋯" button and its menu, the reaction chips, reply
// quotes, the inline editor, tombstones, mentions, the unread divider and the delete confirmation (the
// reaction picker's is in extras/styles.ts). Placed inside styles.ts after the thread's part.

export const messageActionStyles = `
.message-line { position: relative; display: flex; align-items: center; gap: 2px; max-width: 100%; }
.mine .message-line { flex-direction: row-reverse; }
.message-actions-button {
  flex: none; width: 30px; height: 30px; border: 0; border-radius: 50%; background: none; color: var(--muted);
  display: grid; place-items: center; opacity: 0;
}
.message-line:hover .message-actions-button, .message-line:focus-within .message-actions-button,
.message-actions-button[aria-expanded=true] { opacity: 1; }
.message-actions-button:hover { background: var(--surface); }
/* On touch screens a long press opens the menu (long-press.ts): no callout of the browser's over it. */
@media (pointer: coarse) { .message-actions-button { opacity: 1; } .message-line { -webkit-touch-callout: none; } }
.popover {
  position: absolute; z-index: 3; top: 100%; right: 0; background: var(--bg); color: var(--text);
  border: 1px solid var(--border); border-radius: 12px; box-shadow: var(--shadow); padding: 4px;
}
.theirs .popover { right: auto; left: 0; }
.popover.up { top: auto; bottom: 100%; }
.menu { display: flex; flex-wrap: wrap; width: 228px; }
.menu button {
  flex: 1 0 100%; display: flex; align-items: center; gap: 10px; padding: 8px 10px; border: 0;
  border-radius: 8px; background: none; text-align: left; font-size: 14px;
}
.menu button:hover, .menu button:focus { background: var(--surface); outline: none; }
.menu button:focus-visible { box-shadow: inset 0 0 0 2px var(--focus); }
.menu .emoji { flex: 0 0 auto; justify-content: center; width: 36px; height: 36px; padding: 0; font-size: 20px; }
.message-foot { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin: 3px 4px 0; font-size: 12px; color: var(--muted); }
.mine .message-foot { justify-content: flex-end; }
/* "(edited)" opens the earlier versions for those who may read them. */
button.edited { padding: 0; border: 0; background: none; text-decoration: underline dotted; text-underline-offset: 2px; }
.reactions { display: contents; }
.reaction {
  display: inline-flex; align-items: center; gap: 4px; height: 26px; padding: 0 8px; border-radius: 13px;
  border: 1px solid var(--border); background: var(--bg); color: var(--text); font-size: 13px;
}
.reaction[aria-pressed=true] { border-color: var(--brand); background: color-mix(in srgb, var(--brand) 12%, var(--bg)); }
.reaction:disabled { opacity: 1; }
.reply-quote, .reply-bar {
  display: flex; flex-direction: column; align-items: flex-start; max-width: 100%; margin: 0 0 2px;
  padding: 4px 10px; border: 0; border-left: 3px solid var(--brand); border-radius: 6px;
  background: var(--surface); color: var(--text); font-size: 12.5px; text-align: left;
}
.quote-sender { font-weight: 600; }
.quote-excerpt {
  color: var(--muted); max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.reply-bar { flex: 1 0 100%; flex-direction: row; align-items: center; gap: 8px; margin: 0; }
.reply-bar-text { flex: 1; min-width: 0; display: flex; flex-direction: column; }
.reply-bar .icon-button:hover { background: var(--surface-strong); }
.tombstone { font-style: italic; color: var(--muted); }
.deleted .bubble { background: none; box-shadow: inset 0 0 0 1px var(--border); }
.mention { font-weight: 600; }
.mention.me { padding: 0 2px; border-radius: 4px; background: var(--warning); color: var(--on-warning); }
.editor { width: min(100%, 520px); display: flex; flex-wrap: wrap; gap: 6px; justify-content: flex-end; }
.editor textarea {
  flex: 1 0 100%; min-height: 40px; resize: none; border: 1px solid var(--brand); border-radius: 12px;
  padding: 8px 12px; background: var(--bg); color: var(--text); line-height: 1.45;
}
.editor-hint { flex: 1; font-size: 12px; color: var(--muted); }
.editor-buttons { display: flex; gap: 6px; }
.button.danger { background: var(--danger); color: var(--bg); }
.unread-divider { color: var(--danger); }
.unread-divider::before, .unread-divider::after { background: var(--danger); }
.scrim {
  position: absolute; inset: 0; z-index: 4; display: grid; place-items: center; padding: 16px;
  background: rgba(15,23,42,.45);
}
.dialog { width: min(100%, 340px); padding: 18px; border-radius: 14px; background: var(--bg); box-shadow: var(--shadow); }
.dialog h3 { margin: 0 0 6px; font-size: 16px; }
.dialog p { margin: 0 0 16px; color: var(--muted); font-size: 13.5px; }
.dialog-buttons { display: flex; justify-content: flex-end; gap: 8px; }
@media (max-width: 639.98px) {
  /* On phones the menu and the picker are a sheet at the bottom of the screen, within thumb's reach. */
  .popover, .popover.up, .theirs .popover {
    position: fixed; z-index: 5; top: auto; bottom: 0; left: 0; right: 0; border-radius: 16px 16px 0 0;
    padding: 8px 8px calc(8px + env(safe-area-inset-bottom));
  }
  .menu { width: 100%; }
}
`;
