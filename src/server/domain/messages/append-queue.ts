// Group commit: sends that arrive while a batch is being stored wait for the next one, and each batch is one
// statement and one commit for however many messages and conversations it holds (decision 008). At low
// rates a batch holds one message and adds no wait; under load batches grow instead of commits queueing.
// What cannot be stored soon is refused at once (retryable), so that waiting never grows without bound.
import { performance } from 'node:perf_hooks';
import { ParleyError } from '../../../protocol/errors.ts';
import type { Message } from '../../../protocol/models.ts';
import type { AppendedBatch, NewMessage } from '../../store/message-append.ts';

export interface AppendQueueOptions {
  /** The most messages one statement stores. */
  maxBatch: number;
  /**
   * A send that finds this many already waiting is refused with `unavailable` rather than queued: with a
   * full batch ahead of it, it would wait for more than one commit.
   */
  maxWaiting: number;
  /** A send is refused too while the oldest waiting one has waited this long (the database is slow). */
  maxWaitMs: number;
}

export interface AppendQueueDeps {
  /** Stores a batch in one statement. */
  store: (messages: readonly NewMessage[]) => Promise<AppendedBatch>;
  /**
   * Runs after each commit, before any sender is answered and before the next batch is stored: fan-out
   * and events, in seq order. Must not reject.
   */
  onCommitted: (
    batch: AppendedBatch,
    origins: ReadonlyMap<Message, string | undefined>,
  ) => void | Promise<void>;
  /** Whether the process itself is overloaded (its event loop lags): sends are shed then too. */
  overloaded?: () => boolean;
  /** Hears of each batch and each refusal (metrics). */
  observer?: SendObserver;
  options: AppendQueueOptions;
  now?: () => number;
}

/** Why a send was refused: too many waiting, the oldest waiting too long, the event loop lagging. */
export const shedReasons = ['queue_full', 'queue_slow', 'overloaded'] as const;
export type ShedReason = (typeof shedReasons)[number];

/** Told once per batch or refusal, never per delivery: the send path must not pay for being watched. */
export interface SendObserver {
  /** A batch of this many messages was committed. */
  batchStored(messages: number): void;
  /** From a batch's commit until its fan-out and events were handed on. */
  fannedOut(seconds: number): void;
  shed(reason: ShedReason): void;
}

const unobserved: SendObserver = { batchStored() {}, fannedOut() {}, shed() {} };

/** How a batch went, for the benchmark's batch-size report. */
export interface AppendQueueStats {
  batches: number;
  messages: number;
  largestBatch: number;
  shed: number;
}

interface Waiting {
  kind: 'message';
  message: NewMessage;
  /** The connection the send came on: it has the message from its ack and is left out of the fan-out. */
  origin: string | undefined;
  enqueuedAt: number;
  resolve: (stored: Message | null) => void;
  reject: (error: unknown) => void;
}

/** A change to stored messages (an edit, a delete, a reaction): stored alone, between batches. */
interface WaitingChange {
  kind: 'change';
  enqueuedAt: number;
  run: () => Promise<void>;
}

/** A message's idempotency key: its sender and the id the sender's client gave it. */
const keyOf = ({ senderId, clientMsgId }: Pick<NewMessage, 'senderId' | 'clientMsgId'>) =>
  JSON.stringify([senderId, clientMsgId]);

export function createAppendQueue({
  store,
  onCommitted,
  overloaded = () => false,
  observer = unobserved,
  options,
  now = Date.now,
}: AppendQueueDeps) {
  const waiting: (Waiting | WaitingChange)[] = [];
  let flushing = false;
  /** Recent commit durations, smoothed: what a refused sender is told to wait. */
  let commitMs = 5;
  const stats: AppendQueueStats = { batches: 0, messages: 0, largestBatch: 0, shed: 0 };

  function reasonToShed(): ShedReason | null {
    const oldest = waiting[0];
    if (waiting.length >= options.maxWaiting) return 'queue_full';
    if (oldest !== undefined && now() - oldest.enqueuedAt > options.maxWaitMs) return 'queue_slow';
    return overloaded() ? 'overloaded' : null;
  }

  function refuseIfFull(): void {
    const reason = reasonToShed();
    if (!reason) return;
    stats.shed += 1;
    observer.shed(reason);
    const retryAfterMs = Math.max(100, Math.ceil(commitMs * (1 + waiting.length / options.maxBatch)));
    throw new ParleyError('unavailable', `Parley is busy; retry in ${retryAfterMs} ms`, { retryAfterMs });
  }

  /** The messages waiting ahead of the first change, at most a batch of them. */
  function nextBatch(): Waiting[] {
    const batch: Waiting[] = [];
    for (const item of waiting) {
      if (item.kind === 'change' || batch.length === options.maxBatch) break;
      batch.push(item);
    }
    waiting.splice(0, batch.length);
    return batch;
  }

  async function flush(): Promise<void> {
    const head = waiting[0];
    if (head?.kind === 'change') {
      waiting.shift();
      await head.run();
      return;
    }
    const batch = nextBatch();
    // A resend of a message still waiting in this batch is stored once; its sender replays the original.
    const first = new Map<string, Waiting>();
    for (const item of batch) if (!first.has(keyOf(item.message))) first.set(keyOf(item.message), item);
    const startedAt = now();
    let committed: AppendedBatch;
    try {
      committed = await store([...first.values()].map((item) => item.message));
    } catch (error) {
      // What waits behind a failed batch fails with it: stored later, it would overtake the messages sent
      // before it, which their senders will now send again.
      const behind = waiting.filter((item) => item.kind === 'message');
      waiting.splice(0, waiting.length, ...waiting.filter((item) => item.kind === 'change'));
      for (const item of [...batch, ...behind]) item.reject(error);
      return;
    }
    commitMs = commitMs * 0.8 + (now() - startedAt) * 0.2;
    const storedByKey = new Map(committed.messages.map((message) => [keyOf(message), message]));
    const origins = new Map<Message, string | undefined>();
    for (const [key, item] of first) {
      const stored = storedByKey.get(key);
      if (stored) origins.set(stored, item.origin);
    }
    stats.batches += 1;
    stats.messages += committed.messages.length;
    stats.largestBatch = Math.max(stats.largestBatch, batch.length);
    observer.batchStored(committed.messages.length);
    const committedAt = performance.now();
    await onCommitted(committed, origins);
    observer.fannedOut((performance.now() - committedAt) / 1000);
    for (const item of batch) {
      const key = keyOf(item.message);
      item.resolve(first.get(key) === item ? (storedByKey.get(key) ?? null) : null);
    }
  }

  /**
   * Starts a batch unless one is being stored. It starts after the events already read from the network
   * (setImmediate), so that sends that arrived together go together, at no cost in waiting.
   */
  function kick(): void {
    if (flushing || waiting.length === 0) return;
    flushing = true;
    setImmediate(() => {
      void flush().finally(() => {
        flushing = false;
        kick();
      });
    });
  }

  return {
    /**
     * Resolves with the stored message once it is committed and fanned out, or with null when it was not
     * stored (a resend of a stored message, or one its sender may not post: the caller finds out which).
     */
    append(message: NewMessage, origin?: string): Promise<Message | null> {
      try {
        refuseIfFull();
      } catch (refusal) {
        return Promise.reject(refusal);
      }
      return new Promise((resolve, reject) => {
        waiting.push({ kind: 'message', message, origin, enqueuedAt: now(), resolve, reject });
        kick();
      });
    },

    /**
     * Runs `change` (which stores a change to a message and fans it out) once the messages sent before it
     * are stored and fanned out, and before those sent after it: on this node a conversation's stream stays
     * in seq order. Refused like a send when the queue is full.
     */
    change<T>(change: () => Promise<T>): Promise<T> {
      try {
        refuseIfFull();
      } catch (refusal) {
        return Promise.reject(refusal);
      }
      return new Promise((resolve, reject) => {
        const run = () => change().then(resolve, reject);
        waiting.push({ kind: 'change', enqueuedAt: now(), run });
        kick();
      });
    },

    stats: (): Readonly<AppendQueueStats> => ({ ...stats }),
  };
}

export type AppendQueue = ReturnType<typeof createAppendQueue>;
