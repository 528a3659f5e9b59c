// Waiting for what a test is sent, never sleeping: the next socket event that matches, or a running record
// of arrivals (socket events, a webhook endpoint's requests) to await a count of or follow in sequence.
import type { ServerToClientEvents } from '../../src/protocol/events.ts';
import type { Message } from '../../src/protocol/models.ts';
import type { ClientSocket } from './clients.ts';

export type EventName = keyof ServerToClientEvents;
export type EventPayload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

// The socket's typed `on`/`off` cannot take a listener for an event name chosen by a type parameter.
type Listen = (event: string, listener: (payload: never) => void) => void;
const listen = (socket: ClientSocket, event: EventName, listener: (payload: never) => void) =>
  (socket.on as Listen)(event, listener);
const unlisten = (socket: ClientSocket, event: EventName, listener: (payload: never) => void) =>
  (socket.off as Listen)(event, listener);

/** The next `event` on the socket that satisfies `matches`, with when it arrived. */
export function nextEvent<E extends EventName>(
  socket: ClientSocket,
  event: E,
  matches: (payload: EventPayload<E>) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<{ payload: EventPayload<E>; at: number }> {
  return new Promise((resolve, reject) => {
    const listener = (payload: EventPayload<E>) => {
      if (!matches(payload)) return;
      clearTimeout(timer);
      unlisten(socket, event, listener);
      resolve({ payload, at: Date.now() });
    };
    const timer = setTimeout(() => {
      unlisten(socket, event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    listen(socket, event, listener);
  });
}

/** The reason the socket was disconnected, once it is. */
export function disconnection(socket: ClientSocket): Promise<{ reason: string; at: number }> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve({ reason, at: Date.now() })));
}

/** Everything that has arrived so far, in order, and ways to await more. */
export interface Arrivals<T> {
  readonly received: T[];
  /** Resolves with everything received once there are at least `count`. */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  /** The first arrival that matches after the one `next` returned last: follows a sequence (online, away…). */
  next(matches: (item: T) => boolean, timeoutMs?: number): Promise<T>;
}

/** Arrivals that the caller reports with `add`; `label` names them in a timeout's error. */
export function createArrivals<T>(label: string): Arrivals<T> & { add(item: T): void } {
  const received: T[] = [];
  let consumed = 0;
  const checks = new Set<() => void>();
  // `ready` answers undefined until what is awaited has arrived.
  const awaitUntil = <R>(ready: () => R | undefined, timeoutMs: number, failure: () => string) => {
    const now = ready();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<R>((resolve, reject) => {
      const check = () => {
        const result = ready();
        if (result === undefined) return;
        stop();
        resolve(result);
      };
      const stop = () => {
        clearTimeout(timer);
        checks.delete(check);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(failure()));
      }, timeoutMs);
      checks.add(check);
    });
  };
  return {
    received,
    add(item) {
      received.push(item);
      for (const check of [...checks]) check();
    },
    waitFor(count, timeoutMs = 10_000) {
      return awaitUntil(
        () => (received.length >= count ? received : undefined),
        timeoutMs,
        () => `received ${received.length} of ${count} ${label} in ${timeoutMs} ms`,
      );
    },
    async next(matches, timeoutMs = 5_000) {
      const found = await awaitUntil(
        () => {
          const index = received.findIndex((item, i) => i >= consumed && matches(item));
          return index < 0 ? undefined : { index };
        },
        timeoutMs,
        () => `no matching ${label} within ${timeoutMs} ms; got ${JSON.stringify(received)}`,
      );
      consumed = found.index + 1;
      return received[found.index] as T;
    },
  };
}

/** Records every `event` the socket receives from now on. */
export function collect<E extends EventName>(socket: ClientSocket, event: E): Arrivals<EventPayload<E>> {
  const arrivals = createArrivals<EventPayload<E>>(`'${event}'`);
  listen(socket, event, (payload: EventPayload<E>) => arrivals.add(payload));
  return arrivals;
}

/** Records the message of every `message:new` the socket receives from now on. */
export function collectMessages(socket: ClientSocket): Arrivals<Message> {
  const arrivals = createArrivals<Message>('messages');
  socket.on('message:new', ({ message }) => arrivals.add(message));
  return arrivals;
}
