// Coalesces signals that are relayed to others but never stored (typing, presence) into at most one relay
// per key and interval: the first at once, the latest at the end of the interval if it says something other
// than what was relayed. A burst of thousands costs listeners two events, and the final state is never lost.

export interface RelayCoalescerOptions<T> {
  /** 0 relays every signal as it comes. */
  intervalMs: number;
  relay: (value: T) => void;
  /** Whether two values tell listeners the same; a trailing value the same as the last relay is dropped. */
  same: (a: T, b: T) => boolean;
}

export interface RelayCoalescer<T> {
  /** The latest signal for `key` (a user, or a user in a conversation). */
  offer(key: string, value: T): void;
  /** Relays what is still waiting now and stops every timer (shutdown). */
  flush(): void;
}

interface Interval<T> {
  relayed: T;
  /** Boxed: a pending value may itself be falsy. */
  pending: { value: T } | undefined;
  timer: ReturnType<typeof setTimeout>;
}

export function createRelayCoalescer<T>({
  intervalMs,
  relay,
  same,
}: RelayCoalescerOptions<T>): RelayCoalescer<T> {
  const intervals = new Map<string, Interval<T>>();

  const relayAndWait = (key: string, value: T) => {
    relay(value);
    if (intervalMs <= 0) return;
    const timer = setTimeout(() => end(key), intervalMs);
    // A pending relay must not keep a stopping process alive; `flush` sends it at shutdown.
    timer.unref?.();
    intervals.set(key, { relayed: value, pending: undefined, timer });
  };

  /** What an interval still owes listeners when it ends: its latest signal, if that tells them something new. */
  const owed = (interval: Interval<T> | undefined) =>
    interval?.pending && !same(interval.pending.value, interval.relayed) ? interval.pending : undefined;

  /** A quiet key is forgotten, so the map holds only the keys that signalled in the last interval. */
  const end = (key: string) => {
    const due = owed(intervals.get(key));
    intervals.delete(key);
    if (due) relayAndWait(key, due.value);
  };

  return {
    offer(key, value) {
      const interval = intervals.get(key);
      if (interval) interval.pending = { value };
      else relayAndWait(key, value);
    },
    flush() {
      for (const [key, interval] of [...intervals]) {
        clearTimeout(interval.timer);
        intervals.delete(key);
        const due = owed(interval);
        if (due) relay(due.value);
      }
    },
  };
}
