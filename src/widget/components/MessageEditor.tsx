// Editing one of the user's messages in place of its bubble: Enter saves, Shift+Enter adds a line, Esc (or
// Cancel) leaves the message as it was. A refused edit is said in a toast and the editor stays open.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Message } from '../../protocol/models.ts';
import { mentionedIds } from '../mentions.ts';
import { useWidget } from '../state.ts';
import { fitHeight } from '../text-box.ts';
import { useThreadActions } from '../thread-actions.ts';

const MAX_HEIGHT_PX = 200;

export function MessageEditor({ message }: { message: Message }) {
  const { session, strings } = useWidget();
  const actions = useThreadActions();
  const [text, setText] = useState(message.body);
  const [saving, setSaving] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => {
    if (box.current) fitHeight(box.current, MAX_HEIGHT_PX);
  }, [text]);
  useLayoutEffect(() => {
    box.current?.focus();
    box.current?.setSelectionRange(text.length, text.length);
  }, []);

  const done = () => {
    // Focus goes back to the composer, where ↑ started the edit or the user writes next.
    box.current?.closest('.thread')?.querySelector<HTMLElement>('#parley-composer')?.focus();
    actions.setEditing(null);
    session.client.setTyping(message.conversationId, false);
  };
  const save = () => {
    const body = text.trim();
    if (!body || body === message.body) return done();
    // The people the message named before and still names stay mentioned.
    const named = new Map(message.mentions.map((id) => [id, session.nameOf(id)]));
    setSaving(true);
    session.client.messageActions
      .edit(message.id, body, mentionedIds(body, named))
      .then(done, (error: unknown) => {
        setSaving(false);
        actions.failed(error);
      });
  };

  return (
    <form
      class="editor"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <textarea
        ref={box}
        rows={1}
        value={text}
        aria-label={strings.editMessage}
        aria-describedby="parley-editor-hint"
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.isComposing) return;
          if (event.key === 'Escape') {
            event.preventDefault();
            // Escape leaves the editor, not the panel.
            event.stopPropagation();
            done();
          } else if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            save();
          }
        }}
      />
      <span id="parley-editor-hint" class="editor-hint">
        {strings.editHint}
      </span>
      <span class="editor-buttons">
        <button type="button" class="button small ghost" onClick={done}>
          {strings.cancel}
        </button>
        <button type="submit" class="button small primary" disabled={saving}>
          {strings.save}
        </button>
      </span>
    </form>
  );
}
