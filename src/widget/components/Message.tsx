// One message: the sender's avatar and name at the start of a group, the body as markdown in a bubble,
// its time (exact time on hover), and for the user's unsent messages "Sending…" or "Not sent" with
// Retry and Discard.
import type { Row } from '../rows.ts';
import { useWidget } from '../state.ts';
import { Avatar } from './Avatar.tsx';
import { Icon } from './Icon.tsx';
import { Markdown } from './Markdown.tsx';

export function Message({ row, now }: { row: Extract<Row, { kind: 'message' }>; now: number }) {
  const { session, strings, time } = useWidget();
  const { message, mine, first, last } = row;
  const name = mine ? strings.you : session.nameOf(message.senderId);
  const classes = ['message', mine ? 'mine' : 'theirs', message.status];
  if (message.note) classes.push('note');
  if (first) classes.push('first');
  if (last) classes.push('last');
  return (
    <div class={classes.join(' ')}>
      {!mine && <div class="gutter">{first && <Avatar id={message.senderId} name={name} />}</div>}
      <div class="message-content">
        {first ? (
          <div class="message-meta">
            {!mine && <span class="sender">{name}</span>}
            {message.note && (
              <span class="note-tag">
                <Icon name="lock" size={11} />
                {strings.internalNote}
              </span>
            )}
            <time dateTime={message.createdAt} title={time.exact(message.createdAt)}>
              {time.messageTime(message.createdAt, now)}
            </time>
          </div>
        ) : (
          <span class="visually-hidden">
            {message.note ? `${strings.internalNote}, ${name}:` : `${name}:`}
          </span>
        )}
        <div class="bubble" title={first ? undefined : time.exact(message.createdAt)}>
          <Markdown text={message.body} />
        </div>
        {message.status === 'pending' && (
          <div class="message-status">
            <Icon name="clock" size={12} />
            {strings.sending}
          </div>
        )}
        {message.status === 'failed' && (
          <div class="message-status failed">
            <Icon name="alert" size={12} />
            <span>
              {strings.notSent}
              {message.error ? `: ${message.error.message}` : ''}
            </span>
            <span class="status-actions">
              <button
                type="button"
                class="link-button"
                onClick={() => session.client.retry(message.clientMsgId)}
              >
                {strings.retry}
              </button>
              <button
                type="button"
                class="link-button"
                onClick={() => session.client.discard(message.clientMsgId)}
              >
                {strings.discard}
              </button>
            </span>
          </div>
        )}
      </div>
    </div>
  );
}
