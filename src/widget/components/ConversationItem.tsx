// One conversation in the list: avatar (with presence for DMs), title, time, last message, unread and
// mention badges. The whole row is one button.
import type { Conversation } from '../../protocol/models.ts';
import { activityOf, conversationTitle, otherMembers, previewOf } from '../format.ts';
import { useShownPresence, useWidget } from '../state.ts';
import { Avatar } from './Avatar.tsx';
import { Icon } from './Icon.tsx';

export interface ConversationItemProps {
  conversation: Conversation;
  selected: boolean;
  now: number;
}

export function ConversationItem({ conversation: c, selected, now }: ConversationItemProps) {
  const { session, strings, time, go } = useWidget();
  const title = conversationTitle(c, session.userId, strings);
  const other = c.kind === 'direct' ? otherMembers(c, session.userId)[0] : undefined;
  const presence = useShownPresence(other?.id);
  const unread = c.unreadCount > 0;
  const activity = activityOf(c);
  return (
    <li>
      <button
        type="button"
        class={`conversation${unread ? ' unread' : ''}${c.muted ? ' muted' : ''}`}
        data-conversation={c.id}
        aria-current={selected ? 'true' : undefined}
        onClick={() => go({ view: 'thread', conversationId: c.id })}
      >
        <Avatar
          id={other?.id ?? c.id}
          name={title}
          channel={c.kind === 'channel'}
          presence={other ? presence.status : undefined}
          record={c.kind === 'record'}
        />
        <span class="conversation-text">
          <span class="conversation-line">
            <span class="conversation-title">{title}</span>
            {c.muted && (
              <span class="muted-icon" title={strings.muted}>
                <Icon name="bellOff" size={14} />
                <span class="visually-hidden">{strings.muted}</span>
              </span>
            )}
            <time class="conversation-time" dateTime={activity} title={time.exact(activity)}>
              {c.lastMessage ? time.listTime(activity, now) : ''}
            </time>
          </span>
          <span class="conversation-line">
            <span class="conversation-preview">
              {previewOf(c, session.userId, session.nameOf.bind(session), strings)}
            </span>
            {c.mentionCount > 0 && (
              <span class="mention-badge" title={strings.mentioned(c.mentionCount)}>
                <span aria-hidden="true">@</span>
                <span class="visually-hidden">{strings.mentioned(c.mentionCount)}</span>
              </span>
            )}
            {unread && (
              <span class="count-badge">
                <span aria-hidden="true">{c.unreadCount > 99 ? '99+' : c.unreadCount}</span>
                <span class="visually-hidden">{strings.unread(c.unreadCount)}</span>
              </span>
            )}
          </span>
        </span>
      </button>
    </li>
  );
}
