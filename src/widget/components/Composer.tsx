// Writing a message: Enter sends, Shift+Enter adds a line, the box grows with its text, and others see
// that the user is typing. The draft survives switching conversations and closing the panel.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useWidget } from '../state.ts';
import { Icon } from './Icon.tsx';

const MAX_HEIGHT_PX = 140;

export interface ComposerProps {
  conversationId: string;
  title: string;
}

export function Composer({ conversationId, title }: ComposerProps) {
  const { session, strings } = useWidget();
  const [text, setText] = useState(() => session.drafts.get(conversationId) ?? '');
  const box = useRef<HTMLTextAreaElement>(null);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const change = (value: string) => {
    setText(value);
    session.drafts.set(conversationId, value);
    session.client.setTyping(conversationId, value.trim() !== '');
  };

  const send = () => {
    const body = text.trim();
    if (!body) return;
    session.client.send(conversationId, body);
    change('');
    box.current?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label class="visually-hidden" for="parley-composer">
        {strings.message}
      </label>
      <textarea
        id="parley-composer"
        ref={box}
        rows={1}
        value={text}
        placeholder={strings.messagePlaceholder(title)}
        aria-describedby="parley-composer-hint"
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
