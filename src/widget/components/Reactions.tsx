// The reactions under a message: one chip per emoji with its count, pressed when the user is among those who
// reacted (pressing it takes the reaction back, pressing another adds it); the tooltip names who reacted.
import type { Message } from '../../protocol/models.ts';
import { emojiName } from '../emoji.ts';
import { useWidget } from '../state.ts';
import { useThreadActions } from '../thread-actions.ts';

export function Reactions({ message, canReact }: { message: Message; canReact: boolean }) {
  const { session, strings } = useWidget();
  const actions = useThreadActions();
  if (message.reactions.length === 0) return null;
  return (
    <div class="reactions">
      {message.reactions.map((reaction) => {
        const names = reaction.userIds.map((id) =>
          id === session.userId ? strings.you : session.nameOf(id),
        );
        const who = strings.reactedBy(names, emojiName(reaction.emoji));
        return (
          <button
            key={reaction.emoji}
            type="button"
            class="reaction"
            aria-pressed={reaction.userIds.includes(session.userId)}
            aria-label={`${reaction.emoji} ${reaction.count}: ${who}`}
            title={who}
            disabled={!canReact}
            onClick={() => actions.toggleReaction(message, reaction.emoji)}
          >
            <span aria-hidden="true">{reaction.emoji}</span>
            <span aria-hidden="true">{reaction.count}</span>
          </button>
        );
      })}
    </div>
  );
}
