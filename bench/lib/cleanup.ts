// Undoes what a benchmark set up (scratch databases, temp dirs, child servers) exactly once, whether the
// run ends, fails or is interrupted: a benchmark must never leave a server or a database behind.

type Cleanup = () => Promise<void> | void;

const cleanups: { label: string; run: Cleanup }[] = [];
let cleaning: Promise<void> | null = null;

/** Registers an undo step; the returned function runs it now (and only now) instead of at the end. */
export function onCleanup(label: string, run: Cleanup): () => Promise<void> {
  const entry = { label, run };
  cleanups.push(entry);
  return async () => {
    const index = cleanups.indexOf(entry);
    if (index === -1) return;
    cleanups.splice(index, 1);
    await run();
  };
}

/** Runs every step still registered, newest first; a failing step is reported and the rest still run. */
export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const entry = cleanups.pop()!;
      try {
        await entry.run();
      } catch (error) {
        console.error(`cleanup: ${entry.label} failed: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}

/**
 * On Ctrl-C, a kill, or a crash outside the scenario's own flow: clean up before exiting. A second signal
 * exits at once.
 */
export function cleanUpOnExit(): void {
  const exit = (status: number) => void cleanUp().finally(() => process.exit(status));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (cleaning) process.exit(130);
      console.error(`\n${signal}: stopping the servers and removing scratch data`);
      exit(130);
    });
  }
  for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
    process.on(event, (error: unknown) => {
      console.error(`${event}:`, error);
      exit(1);
    });
  }
}
