// "Ana is typing…" with animated dots, under the messages of the open conversation.
import { firstName } from '../format.ts';
import { useTyping, useWidget } from '../state.ts';

export function TypingIndicator({ conversationId }: { conversationId: string }) {
  const { session, strings } = useWidget();
  const typists = useTyping(conversationId).filter((id) => id !== session.userId);
  return (
    <div class="typing" hidden={typists.length === 0}>
      {typists.length > 0 && (
        <>
          <span class="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {strings.typing(typists.map((id) => firstName(session.nameOf(id))))}
        </>
      )}
    </div>
  );
}
