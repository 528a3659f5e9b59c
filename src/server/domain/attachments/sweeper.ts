// The background sweep of attachments nothing carries: uploads no message claimed in time, claimed ones
// whose message was deleted, and purged ones whose bytes are still stored. Bytes go first, rows last.

import { deletePurged, listPurged, markAbandoned } from '../../store/attachments.ts';
import type { Database } from '../../store/db.ts';
import type { ObjectStorage } from './storage.ts';

/** Objects deleted per round; a long backlog takes several rounds rather than one huge request. */
const BATCH = 500;

export interface SweeperDeps {
  db: Database;
  storage: ObjectStorage;
  unclaimedMaxAgeMs: number;
  intervalMs: number;
  onError: (error: unknown) => void;
}

export function createAttachmentSweeper({
  db,
  storage,
  unclaimedMaxAgeMs,
  intervalMs,
  onError,
}: SweeperDeps) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function sweepOnce(): Promise<void> {
    await markAbandoned(db, unclaimedMaxAgeMs);
    for (;;) {
      const purged = await listPurged(db, BATCH);
      if (purged.length === 0) return;
      await storage.delete(purged.flatMap((entry) => entry.keys));
      await deletePurged(
        db,
        purged.map((entry) => entry.id),
      );
      if (purged.length < BATCH) return;
    }
  }

  /** One sweep at a time: a slow store makes the next round wait instead of overlapping it. */
  const sweep = () => {
    running = running.then(sweepOnce).catch(onError);
    return running;
  };

  return {
    sweep,
    start(): void {
      timer = setInterval(() => void sweep(), intervalMs);
      timer.unref();
    },
    /** Stops the timer and waits for a sweep under way, so that the database can close after it. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}

export type AttachmentSweeper = ReturnType<typeof createAttachmentSweeper>;
