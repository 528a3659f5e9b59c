// Loading a thread's conversations (a record thread and its notes): the newest page on open, older pages on
// request, history back to a message brought into focus, and marking read what the user can see.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Conversation } from '../protocol/models.ts';
import { type MessageFocus, usePageVisible, usePanel, useStatus, useWidget } from './state.ts';

type Loading = 'loading' | 'ready' | 'failed';

/**
 * Loads the newest page of each conversation shown (a record thread and its notes); tries again when the
 * connection comes back or on request.
 */
export function useOpen(conversationIds: string[]): { state: Loading; retry: () => void } {
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
export function useEarlier(withMore: readonly { id: string }[]): {
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
export function useFocus(
  focus: MessageFocus | undefined,
  lanes: readonly { id: string }[],
): string | undefined {
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
      () => {
        const held = client.messages(focus.conversationId).find((m) => m.seq === focus.seq);
        if (current) setFocusKey(focus.key ?? held?.clientMsgId);
      },
      (error: unknown) => console.warn('Parley: cannot load the message', error),
    );
    return () => {
      current = false;
    };
  }, [session, focus?.conversationId, focus?.seq, laneIds]);
  return focusKey;
}

/** Marks the newest held message read while the user can see it: panel open and page visible. */
export function useMarkRead(conversation: Conversation | undefined, lastSeq: number): void {
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
