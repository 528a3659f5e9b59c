// The configured database for one operator command: opened as the server opens it (the embedded one under
// its one-process lock), closed when the command is done, and an unreachable server reported, not thrown.
import pino from 'pino';
import { openConfiguredDatabase } from '../server/app/database.ts';
import type { Config } from '../server/config.ts';
import type { Database } from '../server/store/db.ts';
import { migrate } from '../server/store/migrate.ts';
import { isConnectionFailure } from '../server/store/postgres.ts';
import { type CliIo, CommandFailure } from './operator-command.ts';

/** Where the database is, for messages: never DATABASE_URL itself, which may carry a password. */
export function describeDatabase(database: Config['database']): string {
  if (database.driver === 'pglite') return `the embedded database in ${database.dataDir}`;
  const { hostname, port, pathname } = new URL(database.url);
  return `PostgreSQL at ${hostname}:${port || 5432}${pathname}`;
}

/** What a command's server parts warn of (an idle connection lost): JSON lines on stderr, like the server's. */
export function warningLog(io: CliIo) {
  return pino({ level: 'warn' }, { write: (line: string) => void io.stderr.write(line) });
}

/** Opens the database, or fails naming the variable that points at it. */
export async function openDatabaseFor(config: Config, io: CliIo): Promise<Database> {
  try {
    return await openConfiguredDatabase(config, warningLog(io));
  } catch (error) {
    if (!isConnectionFailure(error)) throw error;
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    throw new CommandFailure(`DATABASE_URL: cannot reach ${describeDatabase(config.database)} (${reason})`);
  }
}

/**
 * Runs `work` on the database with its schema brought up to date, as `parley start` would, then closes it.
 * Returns the names of the migrations applied on the way, with the result.
 */
export async function withMigratedDatabase<T>(
  config: Config,
  io: CliIo,
  work: (db: Database, applied: string[]) => Promise<T>,
): Promise<T> {
  const db = await openDatabaseFor(config, io);
  try {
    return await work(db, await migrate(db));
  } finally {
    await db.close();
  }
}
