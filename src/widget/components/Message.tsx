// One message: the sender's avatar and name at the start of a group, the quote of the message it answers,
// the body as markdown in a bubble (mentions marked, the user's own highlighted), "(edited)" with the edit's
// time, its reactions, its time (exact time on hover), and the actions on it (MessageActions.tsx). A deleted
// message is a tombstone without actions. For the user's unsent messages "Sending…", "Not sent yet ·
// written 08:12" while offline, or "Not sent" with Retry and Discard. A message of the user's that was sent
// long after it was written says both times (decision 011).
import { useRef, useState } from 'preact/hooks';
import type { Message as SentMessage } from '../../protocol/models.ts';
import { BROADCASTS } from '../mentions.ts';
import { mayReadVersions } from '../message-rules.ts';
import type { Row, ThreadMessage } from '../rows.ts';
import { useStatus, useWidget } from '../state.ts';
import { useThreadActions } from '../thread-actions.ts';
import { Attachments } from './Attachments.tsx';
import { Avatar } from './Avatar.tsx';
import { Extra } from './Extra.tsx';
import { Icon } from './Icon.tsx';
import { Markdown } from './Markdown.tsx';
import { MessageActions } from './MessageActions.tsx';
import { MessageEditor } from './MessageEditor.tsx';
import { Reactions } from './Reactions.tsx';
import { ReplyQuote } from './ReplyQuote.tsx';

export function Message({ row, now }: { row: Extract<Row, { kind: 'message' }>; now: number }) {
  const { session, strings, time } = useWidget();
  const { message, mine, first, last } = row;
  const name = mine ? strings.you : session.nameOf(message.senderId);
  const connected = useStatus() === 'connected';
  const written = mine ? writtenApart(message, session.client.writtenAt(message.clientMsgId)) : undefined;
  const when = written
    ? strings.sentWritten(time.clock(message.createdAt), time.clock(written))
    : time.exact(message.createdAt);
  const actions = useThreadActions();
  const line = useRef<HTMLDivElement>(null);
  const { sent } = message;
  const deleted = sent?.deletedAt != null;
  const editing = sent && actions.editing === message.clientMsgId && !deleted;
  const classes = ['message', mine ? 'mine' : 'theirs', message.status];
  if (deleted) classes.push('deleted');
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
            <time dateTime={message.createdAt} title={when}>
              {time.messageTime(message.createdAt, now)}
            </time>
            {written && <span class="visually-hidden">{when}</span>}
          </div>
        ) : (
          <span class="visually-hidden">
            {message.note ? `${strings.internalNote}, ${name}:` : `${name}:`}
          </span>
        )}
        {message.replyTo && !deleted && (
          <ReplyQuote quote={message.replyTo} conversationId={sent?.conversationId ?? ''} />
        )}
        {editing ? (
          <MessageEditor message={sent} />
        ) : (
          <div class="message-line" ref={line}>
            {(deleted || message.body !== '') && (
              <div class="bubble" title={first ? undefined : when}>
                {deleted ? <p class="tombstone">{strings.deleted}</p> : <Body message={message} />}
              </div>
            )}
            {sent && !deleted && (
              <MessageActions message={{ ...message, sent }} name={name} holdTarget={line} />
            )}
          </div>
        )}
        {sent && !deleted && <Attachments files={sent.attachments} />}
        {sent && !deleted && <Footer message={sent} canReact={!actions.archived} />}
        {!first && written && <span class="visually-hidden">{when}</span>}
        {message.status === 'pending' && (
          <div class="message-status">
            <Icon name="clock" size={12} />
            {connected ? strings.sending : strings.notSentYet(time.clock(message.createdAt))}
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

/** Sent and written further apart than this, a message says both: closer, the difference means nothing. */
const WRITTEN_APART_MS = 60_000;

/** When the user wrote their sent message, if that was long enough before it was sent to be worth saying. */
function writtenApart(message: ThreadMessage, writtenAt: string | undefined): string | undefined {
  if (message.status !== 'sent' || writtenAt === undefined) return undefined;
  return Date.parse(message.createdAt) - Date.parse(writtenAt) > WRITTEN_APART_MS ? writtenAt : undefined;
}

/**
 * The text, with the people it mentions marked (the user among them highlighted), and `@channel` or `@here`
 * in a message that mentions people (highlighted for those it reached).
 */
function Body({ message }: { message: ThreadMessage }) {
  const { session } = useWidget();
  const ids = message.sent?.mentions ?? [];
  const everyone =
    ids.length === 0 ? [] : BROADCASTS.map((name) => ({ name, me: ids.includes(session.userId) }));
  const mentions = [
    ...ids.map((id) => ({ name: session.nameOf(id), me: id === session.userId })),
    ...everyone,
  ];
  return <Markdown text={message.body} mentions={mentions} />;
}

/**
 * Under the bubble: "(edited)", with when in its tooltip (for the author and internal admins a button that
 * shows the earlier versions), and the reactions.
 */
function Footer({ message, canReact }: { message: SentMessage; canReact: boolean }) {
  const { session, strings, time } = useWidget();
  const [versions, setVersions] = useState(false);
  if (!message.editedAt && message.reactions.length === 0) return null;
  const edited = message.editedAt && <time dateTime={message.editedAt}>{strings.edited}</time>;
  const when = message.editedAt ? strings.editedAt(time.exact(message.editedAt)) : '';
  return (
    <div class="message-foot">
      {mayReadVersions(message, session.client.me) ? (
        <button
          type="button"
          class="edited"
          title={when}
          aria-label={strings.showVersions(when)}
          aria-haspopup="dialog"
          onClick={() => setVersions(true)}
        >
          {edited}
        </button>
      ) : (
        edited && (
          <span class="edited" title={when}>
            {edited}
          </span>
        )
      )}
      {versions && <Extra part="MessageVersions" props={{ message, close: () => setVersions(false) }} />}
      <Reactions message={message} canReact={canReact} />
    </div>
  );
}
