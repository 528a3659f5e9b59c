// Runs async work one at a time per key (a conversation) and concurrently across keys.

export type KeyedSerializer = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export function createKeyedSerializer(): KeyedSerializer {
  const tails = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(work);
    // The chain only orders the next task after this one; the caller receives this task's own outcome
    // through `run`, so a failure here is reported there and must not stop the queue.
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
