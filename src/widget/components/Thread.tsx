// The open conversation: its header (presence or members, mute), the windowed messages (with a record
// thread's internal notes woven in), who is typing, and the composer. Loads the newest page on open, older
// pages near the top, and marks what the user sees as read while the panel is open and the page visible.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Conversation } from '../../protocol/models.ts';
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
  usePageVisible,
  usePanel,
  useStatus,
  useWidget,
} from '../state.ts';
import { Composer } from './Composer.tsx';
import { ConnectionBanner } from './ConnectionStatus.tsx';
import { Message } from './Message.tsx';
import { MessageList } from './MessageList.tsx';
import { RecordEvent } from './RecordEvent.tsx';
import { ThreadHeader } from './ThreadHeader.tsx';
import { ThreadTop } from './ThreadTop.tsx';
import { TypingIndicator } from './TypingIndicator.tsx';

type Loading = 'loading' | 'ready' | 'failed';

export function Thread({
  conversationId,
  focus,
}: {
  conversationId: string;
  focus?: MessageFocus | undefined;
}) {
  const { session, strings, time } = useWidget();
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
    ],
  );

  if (!conversation) {
    return (
      <section class="view">
        <ThreadHeader title="" conversation={undefined} />
        <p class="notice">{strings.notFound}</p>
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
      case 'receipt':
        return (
          <div class="receipt">
            {strings.seenBy(row.readerIds.map((id) => firstName(session.nameOf(id))).join(', '))}
          </div>
        );
    }
  };

  return (
    <section class="view thread" aria-labelledby="parley-thread-title">
      <ThreadHeader title={title} conversation={conversation} />
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
          />
        )}
      </div>
    </section>
  );
}

/**
 * Loads the newest page of each conversation shown (a record thread and its notes); tries again when the
 * connection comes back or on request.
 */
function useOpen(conversationIds: string[]): { state: Loading; retry: () => void } {
  const { session } = useWidget();
  const connected = useStatus() === 'connected';
  const key = conversationIds.join(' ');
  // Messages already held (the thread was open before) show at once while `open` confirms.
  const [state, setState] = useState<Loading>(() =>
    conversationIds.every((id) => session.client.messages(id).length > 0) ? 'ready' : 'loading',
  );
  const [attempt, setAttempt] = useState(0);
  const wasConnected = useRef(connected);
  useEffect(() => {
    if (connected && !wasConnected.current && state === 'failed') setAttempt((n) => n + 1);
    wasConnected.current = connected;
  }, [connected]);
  useEffect(() => {
    let current = true;
    setState((previous) => (previous === 'ready' ? previous : 'loading'));
    Promise.all(conversationIds.map((id) => session.client.open(id))).then(
      () => current && setState('ready'),
      (error: unknown) => {
        console.warn('Parley: cannot open the conversation', error);
        if (current) setState('failed');
      },
    );
    return () => {
      current = false;
    };
  }, [session, key, attempt]);
  return { state, retry: () => setAttempt((n) => n + 1) };
}

/** Loads older pages of the conversations that have more, on request, one round at a time. The SDK emits
 * no event when it prepends, so the pages loaded are counted here for the rows to be rebuilt. */
function useEarlier(withMore: readonly { id: string }[]): {
  loading: boolean;
  pages: number;
  load: () => void;
} {
  const { session } = useWidget();
  const inFlight = useRef(false);
  const [loading, setLoading] = useState(false);
  const [pages, setPages] = useState(0);
  const load = () => {
    if (inFlight.current || withMore.length === 0) return;
    inFlight.current = true;
    setLoading(true);
    Promise.all(withMore.map((lane) => session.client.loadEarlier(lane.id)))
      .then(
        () => setPages((n) => n + 1),
        (error: unknown) => console.warn('Parley: cannot load earlier messages', error),
      )
      .finally(() => {
        inFlight.current = false;
        setLoading(false);
      });
  };
  return { loading, pages, load };
}

/**
 * Loads history back to the focused message (and the other lane back to its time, so that it shows among
 * its neighbours), then answers its row key for the list to bring into view.
 */
function useFocus(focus: MessageFocus | undefined, lanes: readonly { id: string }[]): string | undefined {
  const { session } = useWidget();
  const [focusKey, setFocusKey] = useState<string | undefined>(undefined);
  const laneIds = lanes.map((lane) => lane.id).join(' ');
  useEffect(() => {
    if (!focus) return;
    let current = true;
    const { client } = session;
    const loadAround = async () => {
      await client.loadBackTo(focus.conversationId, focus.seq);
      const at = client.messages(focus.conversationId).find((m) => m.seq === focus.seq)?.createdAt;
      for (const lane of lanes) {
        if (lane.id === focus.conversationId || !at) continue;
        while ((client.messages(lane.id)[0]?.createdAt ?? '') > at) {
          if (!(await client.loadEarlier(lane.id, 100))) break;
        }
      }
    };
    loadAround().then(
      () => current && setFocusKey(focus.key),
      (error: unknown) => console.warn('Parley: cannot load the message', error),
    );
    return () => {
      current = false;
    };
  }, [session, focus?.conversationId, focus?.seq, laneIds]);
  return focusKey;
}

/** Marks the newest held message read while the user can see it: panel open and page visible. */
function useMarkRead(conversation: Conversation | undefined, lastSeq: number): void {
  const { session } = useWidget();
  const { open } = usePanel();
  const visible = usePageVisible();
  const asked = useRef(0);
  const behind = conversation && (lastSeq > conversation.lastReadSeq || conversation.unreadCount > 0);
  useEffect(() => {
    if (!conversation || !open || !visible || !behind || lastSeq === 0 || asked.current >= lastSeq) return;
    asked.current = lastSeq;
    session.client.markRead(conversation.id, lastSeq).catch((error: unknown) => {
      asked.current = 0;
      console.warn('Parley: cannot mark the conversation read', error);
    });
  }, [conversation, open, visible, behind, lastSeq, session]);
}
