// Applies the numbered SQL files in ./migrations that a database has not seen yet: all in one transaction,
// under an advisory lock so that nodes starting together apply each migration exactly once.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database, Sql } from './db.ts';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Arbitrary constant naming Parley's migration lock among the server's advisory locks. */
const MIGRATION_LOCK_KEY = 7_352_001;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((name) => {
      const sql = readFileSync(new URL(name, `file://${dir}`), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** How a database's applied migrations compare with the files: those to apply, and those edited since. */
export interface MigrationPlan {
  pending: Migration[];
  /** Names of applied migrations whose file changed afterwards: the database refuses to migrate. */
  changed: string[];
}

function planMigrations(
  applied: ReadonlyMap<string, string>,
  migrations: readonly Migration[],
): MigrationPlan {
  const pending = migrations.filter((migration) => !applied.has(migration.name));
  const changed = migrations
    .filter((migration) => (applied.get(migration.name) ?? migration.checksum) !== migration.checksum)
    .map((migration) => migration.name);
  return { pending, changed };
}

async function appliedChecksums(sql: Sql): Promise<Map<string, string>> {
  const rows = await sql.query<{ name: string; checksum: string }>(
    'select name, checksum from schema_migrations',
  );
  return new Map(rows.map((row) => [row.name, row.checksum]));
}

/** What `migrate` would do now, without changing anything (a database never migrated has all pending). */
export async function migrationPlan(db: Database, migrations = readMigrations()): Promise<MigrationPlan> {
  const [table] = await db.query<{ name: string | null }>(
    "select to_regclass('schema_migrations')::text as name",
  );
  const applied = table?.name ? await appliedChecksums(db) : new Map<string, string>();
  return planMigrations(applied, migrations);
}

/** Returns the names of the migrations it applied. Refuses to start if an applied file was edited. */
export async function migrate(db: Database, migrations = readMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`create table if not exists schema_migrations (
      name text primary key, checksum text not null, applied_at timestamptz not null default now())`);
    const { pending, changed } = planMigrations(await appliedChecksums(tx), migrations);
    if (changed.length > 0) {
      throw new Error(
        `migration ${changed[0]} was changed after it was applied; add a new migration instead`,
      );
    }
    for (const migration of pending) {
      await db.exec(migration.sql, tx);
      await tx.query('insert into schema_migrations (name, checksum) values ($1, $2)', [
        migration.name,
        migration.checksum,
      ]);
    }
    return pending.map((migration) => migration.name);
  });
}
