// Bridges the session, the SDK and the panel's state to Preact: each hook re-renders its component when an
// event it depends on fires and reads the current value from its source (the SDK stays the one truth).
import { createContext } from 'preact';
import { useContext, useEffect, useMemo, useReducer, useState } from 'preact/hooks';
import type { ConnectionStatus, OutgoingMessage } from '../client/index.ts';
import type { Conversation, Message, UserPresence } from '../protocol/models.ts';
import type { TimeFormat } from './format.ts';
import type { RecordReference } from './markdown.ts';
import type { Layout } from './placement.ts';
import type { WidgetSession } from './session.ts';
import type { Strings } from './strings.ts';

/**
 * A message to bring into view when a thread opens (a search hit, a link, a reply's original): in the thread
 * or in its notes.
 */
export interface MessageFocus {
  conversationId: string;
  seq: number;
  /** The message's row key (its client message id), when known; otherwise found by seq once loaded. */
  key?: string;
}

/** Where message search looks when it is narrowed to one conversation (a record thread: with its notes). */
export interface SearchScope {
  conversationId: string;
  title: string;
  record: { type: string; id: string } | null;
}

export type Route =
  | { view: 'list'; within?: SearchScope }
  | { view: 'thread'; conversationId: string; focus?: MessageFocus }
  | { view: 'people' }
  | { view: 'channels' }
  | { view: 'new-channel' }
  | { view: 'channel-settings'; conversationId: string }
  | { view: 'notification-settings' };

export interface PanelState {
  open: boolean;
  route: Route;
}

/** A value shared by components and the JS API (the panel's state, announcements). */
export class Value<T> {
  private readonly listeners = new Set<(value: T) => void>();
  constructor(private current: T) {}

  get(): T {
    return this.current;
  }

  set(next: T): void {
    if (Object.is(next, this.current)) return;
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }

  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface WidgetOptions {
  /** Parley's origin, as the host gave it. */
  server: string;
  mode: Layout;
  /** How messages name host records; each reference opens the record's thread. */
  references: readonly RecordReference[];
  /** The host's service worker for Parley's pushes, when it has one. */
  serviceWorker: string | undefined;
}

export interface WidgetContext {
  session: WidgetSession;
  panel: Value<PanelState>;
  /** Text for the screen-reader live region. */
  announcement: Value<string>;
  /** A short message about an action that failed, shown for a few seconds. */
  toast: Value<string>;
  strings: Strings;
  /** The BCP 47 tag `strings` and `time` were chosen for (the extras chunk picks its own texts by it). */
  locale: string;
  time: TimeFormat;
  options: WidgetOptions;
  /** Shows a view in the (open) panel. */
  go(route: Route): void;
  /** Closes the floating or docked panel and gives focus back to the launcher. */
  closePanel(): void;
}

export const Widget = createContext<WidgetContext | null>(null);

export function useWidget(): WidgetContext {
  const context = useContext(Widget);
  if (!context) throw new Error('Parley widget components need the Widget context');
  return context;
}

/** A number that changes whenever `subscribe`'s callback is called, re-rendering the component. */
function useVersion(subscribe: (changed: () => void) => () => void, deps: unknown[]): number {
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => subscribe(bump as () => void), deps);
  return version;
}

export function useValue<T>(value: Value<T>): T {
  useVersion((changed) => value.subscribe(changed), [value]);
  return value.get();
}

export function usePanel(): PanelState {
  return useValue(useWidget().panel);
}

export function useConversations(): Conversation[] {
  const { session } = useWidget();
  const version = useVersion((changed) => session.on('conversations', changed), [session]);
  return useMemo(() => session.conversations(), [session, version]);
}

export function useConversation(id: string): Conversation | undefined {
  return useConversations().find((conversation) => conversation.id === id);
}

/** Re-renders when names become known. */
export function useDirectory(): number {
  const { session } = useWidget();
  return useVersion((changed) => session.on('directory', changed), [session]);
}

export function useUnread(): number {
  const { session } = useWidget();
  useVersion((changed) => session.on('unread', changed), [session]);
  return session.unread;
}

export function useStatus(): ConnectionStatus {
  const { client } = useWidget().session;
  useVersion((changed) => client.on('status', changed), [client]);
  return client.status;
}

/** The notes the user's organisation keeps on a record thread, if it keeps any. */
export function useNotes(recordConversationId: string): Conversation | undefined {
  return useConversations().find((c) => c.kind === 'notes' && c.parentId === recordConversationId);
}

/**
 * The conversation's held messages (oldest first) and a version that changes with them; nothing for no
 * conversation (a thread without notes).
 */
export function useMessages(conversationId: string | undefined): {
  messages: readonly Message[];
  version: number;
} {
  const { client } = useWidget().session;
  const version = useVersion(
    (changed) => {
      const mine = (id: string) => id === conversationId && changed();
      const stops = [client.on('messages', mine), client.on('changed', mine), client.on('reset', mine)];
      return () => {
        for (const stop of stops) stop();
      };
    },
    [client, conversationId],
  );
  return { messages: conversationId ? client.messages(conversationId) : [], version };
}

export function useOutbox(conversationId: string | undefined): OutgoingMessage[] {
  const { client } = useWidget().session;
  const version = useVersion((changed) => client.on('outbox', changed), [client]);
  return useMemo(
    () => client.pending.filter((item) => item.conversationId === conversationId),
    [client, conversationId, version],
  );
}

export function usePresence(userId: string | undefined): UserPresence | undefined {
  const { client } = useWidget().session;
  useVersion(
    (changed) => {
      // A sync replaces every presence at once and says so only through the status.
      const stops = [
        client.on('presence', (p) => p.userId === userId && changed()),
        client.on('status', changed),
      ];
      return () => {
        for (const stop of stops) stop();
      };
    },
    [client, userId],
  );
  return userId ? client.presence(userId) : undefined;
}

export function useTyping(conversationId: string): string[] {
  const { client } = useWidget().session;
  useVersion(
    (changed) => client.on('typing', (id) => id === conversationId && changed()),
    [client, conversationId],
  );
  return client.typing(conversationId);
}

/** The current time, refreshed every 30 s so that relative times move on. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

export type Request<T> =
  | { state: 'loading' }
  | { state: 'failed'; error: Error }
  | { state: 'done'; value: T };

/** The state of a request made when the component mounts (and again on `reload`). */
export function useRequest<T>(load: () => Promise<T>): [Request<T>, () => void] {
  const [request, setRequest] = useState<Request<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setRequest({ state: 'loading' });
    load().then(
      (value) => current && setRequest({ state: 'done', value }),
      (error: Error) => current && setRequest({ state: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [attempt]);
  return [request, () => setAttempt((n) => n + 1)];
}

/** Whether the user can open a record's thread: a new function whenever what they can open changes. */
export function useCanOpenRecord(): (type: string, id: string) => boolean {
  const { session } = useWidget();
  const version = useVersion((changed) => session.on('records', changed), [session]);
  return useMemo(() => session.canOpenRecord.bind(session), [session, version]);
}

/** What the widget shows of a person's presence: `unknown` while the viewer's own connection is down. */
export type ShownPresence = UserPresence['status'] | 'unknown';

/**
 * The other person's presence in a DM: unknown while the viewer is not connected (nothing held is current;
 * the next sync tells it afresh), offline when never heard of.
 */
export function useShownPresence(userId: string | undefined): {
  status: ShownPresence;
  lastSeenAt: string | null;
} {
  const presence = usePresence(userId);
  if (useWidget().session.client.status !== 'connected') return { status: 'unknown', lastSeenAt: null };
  return { status: presence?.status ?? 'offline', lastSeenAt: presence?.lastSeenAt ?? null };
}
