// Writing a message: Enter sends, Shift+Enter adds a line, the box grows with its text, and others see
// that the user is typing. The draft survives switching conversations and closing the panel. In a record
// thread the composer always says who will see the text, and switches between everyone and an internal note.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Conversation } from '../../protocol/models.ts';
import { useWidget } from '../state.ts';
import { Icon } from './Icon.tsx';

const MAX_HEIGHT_PX = 140;

export interface ComposerProps {
  conversation: Conversation;
  /** The notes of the user's organisation, when this is a record thread that keeps some. */
  notes: Conversation | undefined;
  title: string;
}

export function Composer({ conversation, notes, title }: ComposerProps) {
  const { session, strings } = useWidget();
  const [asNote, setAsNote] = useState(false);
  const conversationId = asNote && notes ? notes.id : conversation.id;
  const [text, setText] = useState(() => session.drafts.get(conversation.id) ?? '');
  const box = useRef<HTMLTextAreaElement>(null);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const change = (value: string) => {
    setText(value);
    session.drafts.set(conversation.id, value);
    session.client.setTyping(conversationId, value.trim() !== '');
  };

  const switchAudience = (note: boolean) => {
    if (note === asNote) return;
    // Whoever saw the user typing in one audience must not keep seeing it from the other.
    session.client.setTyping(conversationId, false);
    setAsNote(note);
    box.current?.focus();
  };

  const send = () => {
    const body = text.trim();
    if (!body) return;
    session.client.send(conversationId, body);
    change('');
    box.current?.focus();
  };

  const audience = (asNote && notes ? notes : conversation).audience?.map((org) => org.name) ?? [];
  return (
    <form
      class={`composer${asNote ? ' note' : ''}`}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {notes && (
        <fieldset class="audience">
          <legend class="visually-hidden">{strings.audience}</legend>
          <div class="audience-switch">
            <button type="button" aria-pressed={!asNote} onClick={() => switchAudience(false)}>
              {strings.everyone}
            </button>
            <button type="button" aria-pressed={asNote} onClick={() => switchAudience(true)}>
              <Icon name="lock" size={12} />
              {strings.internalNote}
            </button>
          </div>
        </fieldset>
      )}
      {audience.length > 0 && (
        <p class="audience-line" id="parley-composer-audience">
          {asNote && <Icon name="lock" size={12} />}
          {asNote ? strings.onlyVisibleTo(audience) : strings.visibleTo(audience)}
        </p>
      )}
      <label class="visually-hidden" for="parley-composer">
        {strings.message}
      </label>
      <textarea
        id="parley-composer"
        ref={box}
        rows={1}
        value={text}
        placeholder={asNote ? strings.notePlaceholder : strings.messagePlaceholder(title)}
        aria-describedby={
          audience.length > 0 ? 'parley-composer-audience parley-composer-hint' : 'parley-composer-hint'
        }
        data-autofocus=""
        onInput={(event) => change(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
          event.preventDefault();
          send();
        }}
        onBlur={() => session.client.setTyping(conversationId, false)}
      />
      <span id="parley-composer-hint" class="visually-hidden">
        {strings.composerHint}
      </span>
      <button
        type="submit"
        class="send"
        aria-label={strings.send}
        title={strings.send}
        disabled={!text.trim()}
      >
        <Icon name="send" size={18} />
      </button>
    </form>
  );
}
