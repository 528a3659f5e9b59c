// Sending: the outbox flushed while connected and synced, up to 8 messages in flight per conversation and
// in the order written, each resent (same clientMsgId) until acknowledged or refused for good.
import type { Message } from '../protocol/models.ts';
import type { EmitClientEvent } from './client-events.ts';
import type { Connection } from './connection.ts';
import { type Broadcast, isPermanent, type Outbox, type OutgoingMessage, retryDelay } from './outbox.ts';

export interface SenderDeps {
  connection: Connection;
  outbox: Outbox;
  emit: EmitClientEvent;
  /** Whether the resync after the last (re)connect is done: nothing goes out before it. */
  synced: () => boolean;
  /** An acknowledged message, for its conversation's timeline. */
  stored: (message: Message) => void;
  now: () => number;
  random: () => number;
}

/** What a message carries besides its text and the people it names. */
export interface SendOptions {
  replyToId?: string;
  attachmentIds?: readonly string[];
  broadcast?: Broadcast;
}

export class Sender {
  private readonly inFlight = new Set<string>();
  /**
   * When the user wrote each message this client sent, by clientMsgId: the server keeps only when it was
   * sent, and the writing time is the author's alone (decision 011).
   */
  private readonly written = new Map<string, string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: SenderDeps) {}

  get pending(): readonly OutgoingMessage[] {
    return this.deps.outbox.all;
  }

  /** Queues a message: it shows as pending at once and is sent (and re-sent) until acknowledged. */
  send(
    conversationId: string,
    body: string,
    mentions: readonly string[],
    { replyToId, attachmentIds = [], broadcast }: SendOptions,
  ): OutgoingMessage {
    const item = this.deps.outbox.add({
      clientMsgId: newClientMsgId(),
      conversationId,
      body,
      ...(mentions.length > 0 ? { mentions: [...mentions] } : {}),
      ...(replyToId ? { replyToId } : {}),
      ...(attachmentIds.length > 0 ? { attachmentIds: [...attachmentIds] } : {}),
      ...(broadcast ? { broadcast } : {}),
      createdAt: new Date(this.deps.now()).toISOString(),
    });
    this.changed();
    return item;
  }

  /** When the user wrote a message this client sent since it was created; undefined for any other. */
  writtenAt(clientMsgId: string): string | undefined {
    return this.written.get(clientMsgId);
  }

  retry(clientMsgId: string): void {
    this.deps.outbox.retry(clientMsgId);
    this.changed();
  }

  discard(clientMsgId: string): void {
    this.deps.outbox.discard(clientMsgId);
    this.deps.emit('outbox', this.deps.outbox.all);
  }

  /** Sends in flight will never be acknowledged on a dropped connection: the next one resends them at once. */
  disconnected(): void {
    this.inFlight.clear();
  }

  stop(): void {
    clearTimeout(this.flushTimer);
  }

  /** Sends every due message, a few per conversation at a time and in order, while connected and synced. */
  flush(): void {
    const { connection, outbox } = this.deps;
    clearTimeout(this.flushTimer);
    if (!connection.connected || !this.deps.synced()) return;
    // One reading of the clock for both questions: a timer firing a millisecond early must not find
    // nothing due and then set no timer.
    const now = this.deps.now();
    for (let item = outbox.nextDue(now, this.inFlight); item; item = outbox.nextDue(now, this.inFlight)) {
      void this.transmit(item);
    }
    const retryAt = outbox.nextRetryAt(this.inFlight);
    if (retryAt !== undefined) this.flushTimer = setTimeout(() => this.flush(), Math.max(0, retryAt - now));
  }

  private changed(): void {
    this.deps.emit('outbox', this.deps.outbox.all);
    this.flush();
  }

  private async transmit(item: OutgoingMessage): Promise<void> {
    const { connection, outbox, emit, now, random } = this.deps;
    const generation = connection.generation;
    this.inFlight.add(item.clientMsgId);
    try {
      const ack = await connection.ask('message:send', {
        conversationId: item.conversationId,
        clientMsgId: item.clientMsgId,
        body: item.body,
        ...(item.mentions ? { mentions: item.mentions } : {}),
        ...(item.replyToId ? { replyToId: item.replyToId } : {}),
        ...(item.attachmentIds ? { attachmentIds: item.attachmentIds } : {}),
        ...(item.broadcast ? { broadcast: item.broadcast } : {}),
      });
      if (ack.ok) {
        outbox.acknowledge(item.clientMsgId);
        this.written.set(item.clientMsgId, item.createdAt);
        this.deps.stored(ack.message);
      } else if (generation !== connection.generation) {
        // An answer from a connection that has since dropped: the resend on the current one decides.
      } else if (isPermanent(ack.error)) {
        outbox.fail(item.clientMsgId, ack.error);
      } else {
        outbox.postpone(item.clientMsgId, now() + retryDelay(item.attempts, random, ack.error.retryAfterMs));
        emit('error', ack.error);
      }
    } catch (error) {
      // No acknowledgement in time: the message may or may not be stored; resending the same clientMsgId
      // settles it either way.
      if (generation === connection.generation) {
        outbox.postpone(item.clientMsgId, now() + retryDelay(item.attempts, random));
      }
      emit('error', error as Error);
    } finally {
      if (generation === connection.generation) this.inFlight.delete(item.clientMsgId);
      emit('outbox', outbox.all);
      this.flush();
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
