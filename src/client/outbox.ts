// Messages the user wrote that the server has not acknowledged yet: kept in storage so that they survive
// disconnects and page reloads, retried with backoff and jitter, and marked failed on a permanent error.
// The server's idempotency on clientMsgId makes every retry safe: each message is stored exactly once.
import type { ErrorBody, ErrorCode } from '../protocol/errors.ts';
import type { SocketSendMessage } from '../protocol/events.ts';
import type { KeyValueStorage } from './storage.ts';

/** A mention of everyone at once: `@channel` (every member) or `@here` (every member online now). */
export type Broadcast = NonNullable<SocketSendMessage['broadcast']>;

export interface OutgoingMessage {
  clientMsgId: string;
  conversationId: string;
  body: string;
  /** Ids of the users the message mentions (they count it among their mentions). */
  mentions?: string[];
  /** The message it replies to. */
  replyToId?: string;
  /** Files uploaded for it to carry. */
  attachmentIds?: string[];
  /** `@channel` or `@here`: it mentions every member, or every member online now, where the user may. */
  broadcast?: Broadcast;
  /** ISO time the user pressed send. */
  createdAt: string;
  status: 'pending' | 'failed';
  /** For failed messages: why, as the server said. */
  error?: ErrorBody;
  attempts: number;
  /** Epoch ms before which no retry is made. */
  notBefore: number;
}

/** Errors a retry cannot fix: the message is marked failed and kept for the user to edit or discard. */
const permanentErrors = new Set<ErrorCode>([
  'invalid_payload',
  'empty_message',
  'message_too_long',
  'not_found',
  'forbidden',
  'idempotency_conflict',
  'payload_too_large',
]);

/** Everything else (an outage, a rate limit, an expired token about to be refreshed) is worth retrying. */
export function isPermanent(error: ErrorBody): boolean {
  return permanentErrors.has(error.code);
}

/** Exponential backoff from 500 ms to 30 s, with full jitter so that reconnecting clients do not stampede. */
export function retryDelay(attempts: number, random: () => number, serverHintMs = 0): number {
  const ceiling = Math.min(30_000, 500 * 2 ** Math.min(attempts, 6));
  return Math.max(serverHintMs, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}

export class Outbox {
  private items: OutgoingMessage[];

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
    /** Messages of one conversation sent without waiting for the earlier ones' acks. */
    private readonly inFlightPerConversation = 8,
  ) {
    this.items = Outbox.load(storage, key);
  }

  private static load(storage: KeyValueStorage, key: string): OutgoingMessage[] {
    const raw = storage.get(key);
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? (parsed as OutgoingMessage[]) : [];
    } catch {
      // A corrupt entry (another app's key, a truncated write) must not stop the client; it is replaced.
      return [];
    }
  }

  private save(): void {
    this.storage.set(this.key, JSON.stringify(this.items));
  }

  /** Everything not yet acknowledged, in the order it was written. */
  get all(): readonly OutgoingMessage[] {
    return this.items;
  }

  add(message: Omit<OutgoingMessage, 'status' | 'attempts' | 'notBefore'>): OutgoingMessage {
    const item: OutgoingMessage = { ...message, status: 'pending', attempts: 0, notBefore: 0 };
    this.items.push(item);
    this.save();
    return item;
  }

  /**
   * Per conversation, in the order written: the messages in flight, then the pending ones that may follow
   * them (up to `inFlightPerConversation` in all). The first one waiting for a retry holds back everything
   * behind it, so messages are stored in the order they were typed (the server refuses a later message of
   * a connection until an earlier refused one is sent again). `at` is when the next one may go.
   */
  private next(inFlight: ReadonlySet<string>): { item: OutgoingMessage; at: number }[] {
    const ahead = new Map<string, number>();
    const next: { item: OutgoingMessage; at: number }[] = [];
    for (const item of this.items) {
      if (item.status !== 'pending') continue;
      const inFlightAhead = ahead.get(item.conversationId) ?? 0;
      if (inFlightAhead < 0) continue;
      if (inFlight.has(item.clientMsgId)) {
        ahead.set(item.conversationId, inFlightAhead + 1);
        continue;
      }
      // The lane is full, or this one waits: nothing behind it goes before it.
      ahead.set(item.conversationId, -1);
      if (inFlightAhead < this.inFlightPerConversation) next.push({ item, at: item.notBefore });
    }
    return next;
  }

  /** The next message to send at `now`, or undefined when none is due. */
  nextDue(now: number, inFlight: ReadonlySet<string>): OutgoingMessage | undefined {
    return this.next(inFlight).find(({ at }) => at <= now)?.item;
  }

  /** When the next message that may go out becomes due, or undefined when none is waiting. */
  nextRetryAt(inFlight: ReadonlySet<string>): number | undefined {
    const due = this.next(inFlight).map(({ at }) => at);
    return due.length > 0 ? Math.min(...due) : undefined;
  }

  acknowledge(clientMsgId: string): void {
    this.items = this.items.filter((item) => item.clientMsgId !== clientMsgId);
    this.save();
  }

  postpone(clientMsgId: string, until: number): void {
    this.update(clientMsgId, (item) => ({ ...item, attempts: item.attempts + 1, notBefore: until }));
  }

  fail(clientMsgId: string, error: ErrorBody): void {
    this.update(clientMsgId, (item) => ({ ...item, status: 'failed', error }));
  }

  /** Puts a failed message back in line, as typed (same clientMsgId). */
  retry(clientMsgId: string): void {
    this.update(clientMsgId, (item) => {
      const { error: _error, ...rest } = item;
      return { ...rest, status: 'pending', attempts: 0, notBefore: 0 };
    });
  }

  discard(clientMsgId: string): void {
    this.acknowledge(clientMsgId);
  }

  private update(clientMsgId: string, change: (item: OutgoingMessage) => OutgoingMessage): void {
    this.items = this.items.map((item) => (item.clientMsgId === clientMsgId ? change(item) : item));
    this.save();
  }
}
