// The open conversation: its header (presence or members, mute), the windowed messages (with a record
// thread's internal notes woven in, and a divider above what was unread when it opened), who is typing, and
// the composer. Loading and read marking: thread-loading.ts; what messages and composer do: thread-actions.ts.
import { useMemo, useRef } from 'preact/hooks';
import { conversationTitle, firstName } from '../format.ts';
import { buildRows, type Row } from '../rows.ts';
import {
  type MessageFocus,
  useConversation,
  useDirectory,
  useMessages,
  useNotes,
  useNow,
  useOutbox,
  useStatus,
  useWidget,
} from '../state.ts';
import { ThreadActionsContext, useThreadActionsOf } from '../thread-actions.ts';
import { useEarlier, useFocus, useMarkRead, useOpen } from '../thread-loading.ts';
import { Composer } from './Composer.tsx';
import { ConfirmDelete } from './ConfirmDelete.tsx';
import { ConnectionBanner } from './ConnectionStatus.tsx';
import { Message } from './Message.tsx';
import { MessageList } from './MessageList.tsx';
import { RecordCard } from './RecordCard.tsx';
import { RecordEvent } from './RecordEvent.tsx';
import { ThreadHeader } from './ThreadHeader.tsx';
import { ThreadTop } from './ThreadTop.tsx';
import { TypingIndicator } from './TypingIndicator.tsx';

export function Thread({
  conversationId,
  focus,
}: {
  conversationId: string;
  focus?: MessageFocus | undefined;
}) {
  const { session, strings, time, go } = useWidget();
  const status = useStatus();
  const conversation = useConversation(conversationId);
  const notes = useNotes(conversationId);
  const { messages, version } = useMessages(conversationId);
  const outbox = useOutbox(conversationId);
  const noted = useMessages(notes?.id);
  const notesOutbox = useOutbox(notes?.id);
  const lanes = [
    { id: conversationId, messages },
    ...(notes ? [{ id: notes.id, messages: noted.messages }] : []),
  ];
  const loading = useOpen(lanes.map((lane) => lane.id));
  const ready = loading.state === 'ready';
  const earlier = useEarlier(ready ? lanes.filter((lane) => (lane.messages[0]?.seq ?? 1) > 1) : []);
  const now = useNow();
  useDirectory();
  const focusKey = useFocus(ready ? focus : undefined, lanes);
  // Where the user had read to when the thread opened: marking it read now must not move the divider.
  const readUpTo = useRef<number | undefined>(undefined);
  const section = useRef<HTMLElement>(null);
  readUpTo.current ??= conversation?.lastReadSeq;
  useMarkRead(conversation, ready ? (messages.at(-1)?.seq ?? 0) : 0);
  useMarkRead(notes, ready ? (noted.messages.at(-1)?.seq ?? 0) : 0);

  const members = conversation?.members ?? null;
  const rows = useMemo(
    () =>
      buildRows({
        messages,
        outbox,
        meId: session.userId,
        members,
        notes: notes ? { messages: noted.messages, outbox: notesOutbox } : null,
        readUpTo: readUpTo.current,
      }),
    [
      messages,
      version,
      noted.messages,
      noted.version,
      earlier.pages,
      focusKey,
      outbox,
      notesOutbox,
      members,
      session.userId,
      readUpTo.current,
    ],
  );
  const { actions, deleting, confirmDelete, cancelDelete } = useThreadActionsOf(
    conversationId,
    rows,
    conversation?.archivedAt != null,
  );

  if (!conversation) {
    // Until the first sync the list is not known: a link or a reload into a thread waits for it.
    const known = status === 'connected';
    return (
      <section class="view">
        <ThreadHeader title={known ? strings.unavailable : strings.loading} conversation={undefined} />
        {known ? (
          <p class="notice" role="alert">
            {strings.notFound}{' '}
            <button type="button" class="link-button" onClick={() => go({ view: 'list' })}>
              {strings.allConversations}
            </button>
          </p>
        ) : (
          <p class="notice">{strings.loadingMessages}</p>
        )}
      </section>
    );
  }
  const title = conversationTitle(conversation, session.userId, strings);

  const render = (row: Row) => {
    switch (row.kind) {
      case 'top':
        return (
          <ThreadTop
            hasMore={row.hasMore}
            loading={earlier.loading}
            title={title}
            kind={conversation.kind}
            onLoad={earlier.load}
          />
        );
      case 'day':
        return (
          <div class="day">
            <span>{time.dayLabel(row.at, now)}</span>
          </div>
        );
      case 'message':
        return <Message row={row} now={now} />;
      case 'event':
        return <RecordEvent message={row.message} now={now} />;
      case 'unread':
        return (
          <div class="day unread-divider">
            <span>{strings.newMessages}</span>
          </div>
        );
      case 'receipt':
        return (
          <div class="receipt">
            {strings.seenBy(row.readerIds.map((id) => firstName(session.nameOf(id))).join(', '))}
          </div>
        );
    }
  };

  return (
    <ThreadActionsContext.Provider value={actions}>
      <section ref={section} class="view thread" aria-labelledby="parley-thread-title">
        <ThreadHeader title={title} conversation={conversation} />
        {conversation.record && <RecordCard record={conversation.record} />}
        <ConnectionBanner />
        {loading.state === 'ready' ? (
          <MessageList
            key={conversationId}
            rows={rows}
            render={render}
            onNearTop={earlier.load}
            title={title}
            focusKey={focusKey}
          />
        ) : (
          <div class="messages-frame">
            <div class="notice">
              {loading.state === 'loading' ? (
                strings.loadingMessages
              ) : (
                <>
                  {strings.cannotLoad}{' '}
                  <button type="button" class="link-button" onClick={loading.retry}>
                    {strings.tryAgain}
                  </button>
                </>
              )}
            </div>
          </div>
        )}
        <div class="composer-area">
          <TypingIndicator conversationId={conversationId} />
          {conversation.archivedAt ? (
            <p class="archived">{strings.archived}</p>
          ) : (
            <Composer
              key={conversationId}
              conversation={conversation}
              notes={notes && !notes.archivedAt ? notes : undefined}
              title={title}
              dropZone={section}
            />
          )}
        </div>
        {deleting && <ConfirmDelete confirm={confirmDelete} cancel={cancelDelete} />}
      </section>
    </ThreadActionsContext.Provider>
  );
}
