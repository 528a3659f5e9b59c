// The Parley client SDK: one connection, gap-free timelines per conversation, and an outbox that sends
// each message exactly once. Runs in browsers and in Node; the widget, tests, benchmarks and host apps use it.
import { io, type Socket } from 'socket.io-client';
import type { Dossier } from '../protocol/dossier.ts';
import type { Ack, ErrorBody } from '../protocol/errors.ts';
import type {
  ClientToServerEvents,
  ConnectErrorData,
  ConversationCatchUp,
  ServerToClientEvents,
} from '../protocol/events.ts';
import type { Conversation, Message, User, UserPresence } from '../protocol/models.ts';
import type { SearchResponse } from '../protocol/search.ts';
import { fetchDossier } from './dossier.ts';
import { Emitter } from './emitter.ts';
import { isPermanent, Outbox, type OutgoingMessage, retryDelay } from './outbox.ts';
import { mergeSyncAnswers, splitCursors } from './resume.ts';
import { type SearchParams, searchMessages } from './search.ts';
import { type KeyValueStorage, memoryStorage } from './storage.ts';
import { withNewMessages, withReadCursor } from './summaries.ts';
import { Timeline } from './timeline.ts';
import { TypingTracker } from './typing.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionStatus = 'connecting' | 'connected' | 'offline';

export interface ParleyClientOptions {
  /** Parley's base URL, e.g. https://chat.example.com. */
  url: string;
  /** Returns a valid token for the current user; called on every (re)connect and before expiry. */
  getToken: () => Promise<string>;
  /** Where unsent messages survive reloads: `browserStorage()` in pages; memory by default. */
  storage?: KeyValueStorage;
  /** Storage key of the outbox; give each user their own. */
  outboxKey?: string;
  /** Socket.IO transports, websocket first with long-polling fallback by default. */
  transports?: ('websocket' | 'polling')[];
  /** How long a send may wait for its acknowledgement before it is retried. */
  ackTimeoutMs?: number;
  random?: () => number;
  now?: () => number;
}

export interface ParleyClientEvents {
  status: (status: ConnectionStatus) => void;
  /** The conversation list or one conversation's summary changed. */
  conversations: (conversations: readonly Conversation[]) => void;
  /** Messages joined a conversation's contiguous timeline, in seq order. */
  messages: (conversationId: string, messages: readonly Message[]) => void;
  /** A conversation's timeline started over (the server could not continue the client's cursor). */
  reset: (conversationId: string) => void;
  /** The outbox changed: a message was added, acknowledged, postponed or failed. */
  outbox: (pending: readonly OutgoingMessage[]) => void;
  /** Someone who shares a conversation came online, went idle or offline. */
  presence: (presence: UserPresence) => void;
  /** Who is typing in a conversation changed. */
  typing: (conversationId: string, userIds: readonly string[]) => void;
  /** A failure the client handles by retrying, reported for logs and UIs. */
  error: (error: ErrorBody | Error) => void;
}

const RECONNECT_AFTER_REFUSAL_MS = 2000;
/** A refusal for too many open connections lasts until the user closes some: no point retrying soon. */
const RECONNECT_AFTER_TOO_MANY_CONNECTIONS_MS = 60_000;
/** How often a request refused as `rate_limited` is tried again, each after the wait the server named. */
const RATE_LIMITED_RETRIES = 3;

export class ParleyClient extends Emitter<ParleyClientEvents> {
  private readonly socket: ClientSocket;
  private readonly timelines = new Map<string, Timeline>();
  private readonly conversationsById = new Map<string, Conversation>();
  private readonly outbox: Outbox;
  private readonly inFlight = new Set<string>();
  /** Counts connections: acknowledgements from an earlier one no longer hold their message in flight. */
  private generation = 0;
  private readonly filling = new Set<string>();
  private readonly presenceByUser = new Map<string, UserPresence>();
  /** The connected user, known after the first sync. */
  me: User | undefined;
  private readonly typists: TypingTracker;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private synced = false;
  private closed = false;
  /** Handshakes refused as `too_many_connections` in a row: one more try after a long pause, then none. */
  private tooManyRefusals = 0;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly ackTimeoutMs: number;

  constructor(private readonly options: ParleyClientOptions) {
    super();
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.outbox = new Outbox(options.storage ?? memoryStorage(), options.outboxKey ?? 'parley:outbox');
    this.typists = new TypingTracker(
      (conversationId) => this.emit('typing', conversationId, this.typing(conversationId)),
      this.now,
    );
    this.socket = io(options.url, {
      autoConnect: false,
      transports: options.transports ?? ['websocket', 'polling'],
      // A fresh token on every (re)connect: the one from the last connection may have expired meanwhile.
      auth: (callback) => {
        options.getToken().then(
          (token) => callback({ token }),
          (error: Error) => {
            this.emit('error', error);
            callback({});
          },
        );
      },
    });
    this.listen();
  }

  /**
   * Connects (and keeps reconnecting until `close`). After a refusal for too many open connections (other
   * tabs or devices of the user), the client tries once more a minute or two later and then stays `offline`
   * until this is called again.
   */
  connect(): void {
    this.closed = false;
    this.tooManyRefusals = 0;
    this.emit('status', 'connecting');
    this.socket.connect();
  }

  close(): void {
    this.closed = true;
    this.typists.clear();
    clearTimeout(this.flushTimer);
    this.socket.disconnect();
  }

  get status(): ConnectionStatus {
    if (this.socket.connected && this.synced) return 'connected';
    return this.closed || this.tooManyRefusals > 0 ? 'offline' : 'connecting';
  }

  get conversations(): Conversation[] {
    return [...this.conversationsById.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  /** The held messages of a conversation, oldest first (call `open` first to load its newest page). */
  messages(conversationId: string): readonly Message[] {
    return this.timelines.get(conversationId)?.messages ?? [];
  }

  /** The highest contiguous seq held for a conversation: the sync cursor. */
  cursor(conversationId: string): number {
    return this.timelines.get(conversationId)?.cursor ?? 0;
  }

  get pending(): readonly OutgoingMessage[] {
    return this.outbox.all;
  }

  /** Loads a conversation's newest page when nothing of it is held yet. */
  async open(conversationId: string, limit = 50): Promise<readonly Message[]> {
    const timeline = this.timelines.get(conversationId);
    if (timeline?.isLoaded) return timeline.messages;
    const page = await this.request('messages:page', { conversationId, limit });
    const fresh = new Timeline();
    fresh.reset(page.messages);
    // Live messages that arrived while the page was loading are kept.
    if (timeline) fresh.apply(timeline.messages);
    this.timelines.set(conversationId, fresh);
    this.emit('reset', conversationId);
    return fresh.messages;
  }

  /** Loads the page before the oldest held message; returns false when the beginning is reached. */
  async loadEarlier(conversationId: string, limit = 50): Promise<boolean> {
    const timeline = this.timelines.get(conversationId);
    if (!timeline?.isLoaded) return (await this.open(conversationId, limit)).length > 0;
    if (timeline.first === undefined || timeline.first <= 1) return false;
    const page = await this.request('messages:page', { conversationId, before: timeline.first, limit });
    timeline.prepend(page.messages);
    return page.hasMore;
  }

  /**
   * Loads history back to `seq` and a few messages before it (a search hit, a link to a message): the
   * timeline stays one gap-free run up to the newest message.
   */
  async loadBackTo(conversationId: string, seq: number, before = 10): Promise<void> {
    await this.open(conversationId);
    const target = Math.max(1, seq - before);
    while ((this.timelines.get(conversationId)?.first ?? 1) > target) {
      if (!(await this.loadEarlier(conversationId, 100))) break;
    }
  }

  /** Queues a message: it shows as pending at once and is sent (and re-sent) until acknowledged. */
  send(conversationId: string, body: string): OutgoingMessage {
    const item = this.outbox.add({
      clientMsgId: newClientMsgId(),
      conversationId,
      body,
      createdAt: new Date(this.now()).toISOString(),
    });
    this.emit('outbox', this.outbox.all);
    this.flush();
    return item;
  }

  retry(clientMsgId: string): void {
    this.outbox.retry(clientMsgId);
    this.emit('outbox', this.outbox.all);
    this.flush();
  }

  discard(clientMsgId: string): void {
    this.outbox.discard(clientMsgId);
    this.emit('outbox', this.outbox.all);
  }

  async markRead(conversationId: string, seq: number): Promise<number> {
    return (await this.request('conversation:read', { conversationId, seq })).lastReadSeq;
  }

  /** Messages the user may read that match `params.q`, best first; pass `nextCursor` back as `cursor` for more. */
  async search(params: SearchParams): Promise<SearchResponse> {
    return searchMessages(this.options.url, await this.options.getToken(), params);
  }

  /** The record's dossier as this user may see it: the JSON dossier, or the printable HTML page. */
  exportRecord(type: string, id: string, format?: 'json'): Promise<Dossier>;
  exportRecord(type: string, id: string, format: 'html'): Promise<string>;
  async exportRecord(type: string, id: string, format: 'json' | 'html' = 'json'): Promise<Dossier | string> {
    return fetchDossier(
      { url: this.options.url, token: await this.options.getToken() },
      { type, id },
      format,
    );
  }

  presence(userId: string): UserPresence | undefined {
    return this.presenceByUser.get(userId);
  }

  /** Users typing in the conversation now (the server never echoes the user's own typing). */
  typing(conversationId: string): string[] {
    return this.typists.typingIn(conversationId);
  }

  /** Call on every keystroke and when the composer empties or sends; throttled to what others need. */
  setTyping(conversationId: string, typing: boolean): void {
    if (this.socket.connected && this.typists.shouldSend(conversationId, typing)) {
      this.socket.emit('typing', { conversationId, typing });
    }
  }

  /** Idle (no input, hidden tab) or back; the user counts as away only when all their tabs are. */
  setAway(away: boolean): void {
    if (this.socket.connected) this.socket.emit('presence:set', { status: away ? 'away' : 'online' });
  }

  private listen(): void {
    this.socket.on('connect', () => {
      this.tooManyRefusals = 0;
      void this.resync();
    });
    this.socket.on('disconnect', (reason) => {
      this.synced = false;
      // Sends in flight will never be acknowledged on this connection: let the next one resend them now
      // rather than after their acknowledgement times out.
      this.generation += 1;
      this.inFlight.clear();
      this.emit('status', this.closed ? 'offline' : 'connecting');
      // The server cut us (token expiry, shutdown): Socket.IO leaves reconnecting to us.
      if (reason === 'io server disconnect' && !this.closed) this.reconnectLater(RECONNECT_AFTER_REFUSAL_MS);
    });
    this.socket.on('connect_error', (error: Error & { data?: ConnectErrorData }) => {
      this.emit('error', error.data ?? error);
      // A refused handshake is not retried by Socket.IO; transport errors are.
      if (!error.data || this.socket.active) return;
      if (error.data.code !== 'too_many_connections') {
        this.reconnectLater(error.data.retryAfterMs ?? RECONNECT_AFTER_REFUSAL_MS);
        return;
      }
      // Retrying soon cannot succeed, and every try of every tab would count against the same cap.
      this.tooManyRefusals += 1;
      this.emit('status', 'offline');
      if (this.tooManyRefusals === 1) this.reconnectLater(RECONNECT_AFTER_TOO_MANY_CONNECTIONS_MS);
    });
    this.socket.on('message:new', ({ message }) => {
      this.typists.stopped(message.conversationId, message.senderId);
      this.receive(message.conversationId, [message]);
    });
    this.socket.on('typing', ({ conversationId, userId, typing }) =>
      this.typists.received(conversationId, userId, typing),
    );
    this.socket.on('presence', (presence) => {
      this.presenceByUser.set(presence.userId, presence);
      this.emit('presence', presence);
    });
    this.socket.on('conversation:read-by', ({ conversationId, userId, lastReadSeq }) => {
      const conversation = this.conversationsById.get(conversationId);
      if (!conversation?.members) return;
      const members = conversation.members.map((member) =>
        member.id === userId ? { ...member, lastReadSeq: Math.max(member.lastReadSeq, lastReadSeq) } : member,
      );
      this.conversationsById.set(conversationId, { ...conversation, members });
      this.emit('conversations', this.conversations);
    });
    this.socket.on('conversation:joined', ({ conversation }) => {
      this.track(conversation);
      this.emit('conversations', this.conversations);
    });
    this.socket.on('conversation:updated', ({ conversation: update }) => {
      const conversation = this.conversationsById.get(update.id);
      if (!conversation) return;
      this.conversationsById.set(update.id, { ...conversation, ...update });
      this.emit('conversations', this.conversations);
    });
    this.socket.on('conversation:left', ({ conversationId }) => {
      this.conversationsById.delete(conversationId);
      this.timelines.delete(conversationId);
      this.emit('conversations', this.conversations);
    });
    this.socket.on('conversation:read', ({ conversationId, lastReadSeq, mentionCount }) => {
      const conversation = this.conversationsById.get(conversationId);
      if (!conversation) return;
      this.conversationsById.set(conversationId, withReadCursor(conversation, lastReadSeq, mentionCount));
      this.emit('conversations', this.conversations);
    });
    this.socket.on('auth:expiring', () => void this.refreshToken());
  }

  private reconnectLater(delayMs: number): void {
    setTimeout(
      () => {
        if (!this.closed && !this.socket.connected) this.socket.connect();
      },
      delayMs + Math.round(this.random() * delayMs),
    );
  }

  private async refreshToken(): Promise<void> {
    try {
      await this.request('auth:refresh', { token: await this.options.getToken() });
    } catch (error) {
      // The server disconnects at expiry and the next handshake fetches a token again.
      this.emit('error', error as Error);
    }
  }

  /**
   * Keeps the summary. A conversation not loaded (never opened) gets a timeline starting at its end: there
   * is nothing held to keep gap-free, and opening it loads its newest page.
   */
  private track(conversation: Conversation): void {
    this.conversationsById.set(conversation.id, conversation);
    if (!this.timelines.get(conversation.id)?.isLoaded) {
      this.timelines.set(conversation.id, Timeline.startingAfter(conversation.lastSeq));
    }
  }

  /**
   * After every (re)connect: a sync for all conversations (in several requests when the user holds more
   * cursors than one carries), pages for those with more, then the outbox.
   */
  private async resync(): Promise<void> {
    try {
      // Only loaded conversations need catching up; the rest restart from their summary.
      const held = [...this.timelines].filter(([, timeline]) => timeline.isLoaded);
      const cursors = Object.fromEntries(held.map(([id, timeline]) => [id, timeline.cursor]));
      const answers = [];
      for (const part of splitCursors(cursors)) answers.push(await this.request('sync', { cursors: part }));
      const answer = mergeSyncAnswers(answers);
      for (const id of answer.removed) {
        this.timelines.delete(id);
        this.conversationsById.delete(id);
      }
      for (const conversation of answer.conversations) this.track(conversation);
      for (const presence of answer.presence) this.presenceByUser.set(presence.userId, presence);
      this.me = answer.me;
      for (const catchUp of answer.catchUp) await this.catchUp(catchUp);
      this.synced = true;
      this.emit('conversations', this.conversations);
      this.emit('status', 'connected');
      this.flush();
    } catch (error) {
      this.emit('error', error as Error);
      // Try the whole resync again on a fresh connection rather than carry on with a possible gap.
      this.socket.disconnect();
      this.reconnectLater(RECONNECT_AFTER_REFUSAL_MS);
    }
  }

  private async catchUp({ conversationId, messages, hasMore, reset }: ConversationCatchUp): Promise<void> {
    if (reset) {
      const timeline = new Timeline();
      timeline.reset(messages);
      this.timelines.set(conversationId, timeline);
      this.emit('reset', conversationId);
      return;
    }
    this.receive(conversationId, messages);
    if (hasMore) await this.fillGap(conversationId);
  }

  private receive(conversationId: string, messages: readonly Message[]): void {
    const timeline = this.timelines.get(conversationId) ?? this.newTimelineFor(conversationId, messages);
    const { appended, gap } = timeline.apply(messages);
    if (appended.length > 0) {
      this.bumpSummary(conversationId, appended);
      this.emit('messages', conversationId, appended);
    }
    if (gap) this.fillGapUntilDone(conversationId);
  }

  /** Fills a gap, retrying with backoff if a page request fails, so held-back messages are never stuck. */
  private fillGapUntilDone(conversationId: string, attempt = 0): void {
    this.fillGap(conversationId).catch((error: unknown) => {
      this.emit('error', error as Error);
      setTimeout(
        () => {
          if (!this.closed) this.fillGapUntilDone(conversationId, attempt + 1);
        },
        retryDelay(attempt, this.random),
      );
    });
  }

  /** A message for a conversation not yet known (joined on another node a moment ago): start right before it. */
  private newTimelineFor(conversationId: string, messages: readonly Message[]): Timeline {
    const first = Math.min(...messages.map((message) => message.seq));
    const timeline = Timeline.startingAfter(first - 1);
    this.timelines.set(conversationId, timeline);
    return timeline;
  }

  private bumpSummary(conversationId: string, appended: readonly Message[]): void {
    const conversation = this.conversationsById.get(conversationId);
    if (!conversation) return;
    const updated = withNewMessages(conversation, appended, this.me?.id);
    if (updated === conversation) return;
    this.conversationsById.set(conversationId, updated);
    this.emit('conversations', this.conversations);
  }

  /** Pages forward from the cursor until nothing is missing. One at a time per conversation. */
  private async fillGap(conversationId: string): Promise<void> {
    if (this.filling.has(conversationId)) return;
    this.filling.add(conversationId);
    try {
      for (;;) {
        const timeline = this.timelines.get(conversationId);
        if (!timeline) return;
        const page = await this.request('messages:page', {
          conversationId,
          after: timeline.cursor,
          limit: 100,
        });
        const { appended } = timeline.apply(page.messages);
        if (appended.length > 0) {
          this.bumpSummary(conversationId, appended);
          this.emit('messages', conversationId, appended);
        }
        if (!page.hasMore) return;
      }
    } finally {
      this.filling.delete(conversationId);
    }
  }

  /** Sends every due message, a few per conversation at a time and in order, while connected and synced. */
  private flush(): void {
    clearTimeout(this.flushTimer);
    if (!this.socket.connected || !this.synced) return;
    // One reading of the clock for both questions: a timer firing a millisecond early must not find
    // nothing due and then set no timer.
    const now = this.now();
    for (
      let item = this.outbox.nextDue(now, this.inFlight);
      item;
      item = this.outbox.nextDue(now, this.inFlight)
    ) {
      void this.transmit(item);
    }
    const retryAt = this.outbox.nextRetryAt(this.inFlight);
    if (retryAt !== undefined) this.flushTimer = setTimeout(() => this.flush(), Math.max(0, retryAt - now));
  }

  private async transmit(item: OutgoingMessage): Promise<void> {
    const generation = this.generation;
    this.inFlight.add(item.clientMsgId);
    try {
      const ack = await this.socket.timeout(this.ackTimeoutMs).emitWithAck('message:send', {
        conversationId: item.conversationId,
        clientMsgId: item.clientMsgId,
        body: item.body,
      });
      if (ack.ok) {
        this.outbox.acknowledge(item.clientMsgId);
        this.receive(item.conversationId, [ack.message]);
      } else if (generation !== this.generation) {
        // An answer from a connection that has since dropped: the resend on the current one decides.
      } else if (isPermanent(ack.error)) {
        this.outbox.fail(item.clientMsgId, ack.error);
      } else {
        this.outbox.postpone(
          item.clientMsgId,
          this.now() + retryDelay(item.attempts, this.random, ack.error.retryAfterMs),
        );
        this.emit('error', ack.error);
      }
    } catch (error) {
      // No acknowledgement in time: the message may or may not be stored; resending the same clientMsgId
      // settles it either way.
      if (generation === this.generation) {
        this.outbox.postpone(item.clientMsgId, this.now() + retryDelay(item.attempts, this.random));
      }
      this.emit('error', error as Error);
    } finally {
      if (generation === this.generation) this.inFlight.delete(item.clientMsgId);
      this.emit('outbox', this.outbox.all);
      this.flush();
    }
  }

  /**
   * An acknowledged request; a refusal becomes a thrown error carrying the server's error body. Over the
   * user's event budget, it waits as long as the server says and asks again, a few times.
   */
  private async request<E extends 'sync' | 'messages:page' | 'conversation:read' | 'auth:refresh'>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<Extract<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0], { ok: true }>> {
    type Result = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
    const timed = this.socket.timeout(this.ackTimeoutMs);
    const emit = timed.emitWithAck.bind(timed) as (event: E, payload: unknown) => Promise<Result>;
    for (let retries = 0; ; retries++) {
      const result = (await emit(event, payload)) as Ack<object>;
      if (result.ok) return result as Extract<Result, { ok: true }>;
      const { retryAfterMs } = result.error;
      if (result.error.code !== 'rate_limited' || retries >= RATE_LIMITED_RETRIES || this.closed)
        throw Object.assign(new Error(result.error.message), { body: result.error });
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs ?? RECONNECT_AFTER_REFUSAL_MS));
    }
  }
}

/** A random v4 UUID; `randomUUID` exists only on secure pages, `getRandomValues` everywhere. */
export function newClientMsgId(): string {
  if (typeof globalThis.crypto.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function createParleyClient(options: ParleyClientOptions): ParleyClient {
  return new ParleyClient(options);
}
