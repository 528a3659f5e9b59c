// The database as the metrics see it: every statement and every transaction timed as this node waits for
// it (pool waits included), whichever driver runs it.
import { performance } from 'node:perf_hooks';
import type { Database } from '../store/db.ts';

export interface QueryTimings {
  statement(seconds: number): void;
  /** A whole transaction, from asking for its connection to its commit or rollback. */
  transaction(seconds: number): void;
}

async function timed<T>(work: () => Promise<T>, observe: (seconds: number) => void): Promise<T> {
  const startedAt = performance.now();
  try {
    return await work();
  } finally {
    observe((performance.now() - startedAt) / 1000);
  }
}

export function timedDatabase(db: Database, timings: QueryTimings): Database {
  return {
    ...db,
    query: (text, params) => timed(() => db.query(text, params), timings.statement),
    transaction: (work) => timed(() => db.transaction(work), timings.transaction),
  };
}
