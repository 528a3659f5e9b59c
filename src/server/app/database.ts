// Opening the configured database (embedded PGlite or PostgreSQL) and bringing its schema up to date.
import { mkdirSync } from 'node:fs';
import type { FastifyBaseLogger } from 'fastify';
import { type Config, ConfigError } from '../config.ts';
import { type QueryTimings, timedDatabase } from '../metrics/timed-database.ts';
import type { Database } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { openPglite } from '../store/pglite.ts';
import { openPostgres } from '../store/postgres.ts';
import { countHostUsers } from '../store/users.ts';
import { lockDataDir } from './data-dir-lock.ts';

/** The embedded database, once this process holds its directory; closing it lets the directory go. */
async function openLockedPglite(dataDir: string, log: FastifyBaseLogger): Promise<Database> {
  if (dataDir.startsWith('memory://')) return openPglite(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock = await lockDataDir(dataDir, (error) => {
    // Another process may be writing the files now: going on would corrupt them.
    log.fatal({ err: error, dataDir }, 'lost the lock on the data directory; stopping');
    process.exit(1);
  });
  const db = await openPglite(dataDir).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  return {
    ...db,
    async close() {
      try {
        await db.close();
      } finally {
        await lock.release();
      }
    },
  };
}

/** The configured database as it is, not migrated: for the operator CLI, which migrates on its own terms. */
export function openConfiguredDatabase(config: Config, log: FastifyBaseLogger): Promise<Database> {
  if (config.database.driver === 'pglite') return openLockedPglite(config.database.dataDir, log);
  return openPostgres(config.database.url, config.database.poolSize, (error) =>
    log.warn({ err: error }, 'idle database connection failed'),
  );
}

/**
 * Demo mode chosen only because nothing said "production" must not open its login on real data: a database
 * where anyone signed in with a host token was someone's deployment, whose secret has gone missing.
 */
async function refuseImplicitDemoOnRealData(config: Config, db: Database): Promise<void> {
  if (!config.demo || config.demo.explicit) return;
  const hostUsers = await countHostUsers(db);
  if (hostUsers === 0) return;
  const where = config.database.driver === 'pglite' ? config.database.dataDir : 'the database';
  throw new ConfigError(
    `PARLEY_JWT_SECRET or PARLEY_JWKS_URL: ${where} holds ${hostUsers} users who signed in with host tokens, ` +
      'so this is a deployment, not a demo; set the variable it was started with (or PARLEY_DEMO=1 to open ' +
      'the unauthenticated demo login on it anyway)',
  );
}

/** The database, migrated and fit for the configured mode; closed again if it is not. */
export async function openMigratedDatabase(
  config: Config,
  log: FastifyBaseLogger,
  timings: QueryTimings,
): Promise<Database> {
  const db = await openConfiguredDatabase(config, log);
  try {
    const applied = await migrate(db);
    if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
    await refuseImplicitDemoOnRealData(config, db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return timedDatabase(db, timings);
}
