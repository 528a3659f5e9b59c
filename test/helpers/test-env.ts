// The test run's environment, read in one place: whether this is CI, where the PostgreSQL server is, and
// where Chromium, PostgreSQL's server programs, nginx and redis-server are.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Any value CI systems use for "yes" (`true`, `1`, `yes`, `TRUE`, …); unset, empty, `0`, `false`, `no` and `off` are not CI. */
export const isCI = !['', '0', 'false', 'no', 'off'].includes((process.env.CI ?? '').trim().toLowerCase());

/** A server URL the tests may create and drop databases on; each run works in a fresh database of its own. */
export const postgresAdminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Debian's Chromium unless PARLEY_TEST_CHROMIUM names another (or, to try a machine without one, none). */
export const chromiumPath = process.env.PARLEY_TEST_CHROMIUM || '/usr/bin/chromium';

// Debian/Ubuntu keep the server binaries off PATH, one directory per major version; prefer the newest.
function debianPostgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/**
 * Where initdb and pg_ctl are: PARLEY_TEST_POSTGRES_BIN if set, else Debian's newest server version;
 * `undefined` means "look them up on PATH".
 */
export const postgresBinDir = process.env.PARLEY_TEST_POSTGRES_BIN || debianPostgresBinDir();

/** Debian's nginx and redis-server, which the scale-out suite runs programs of its own of. */
export const nginxPath = '/usr/sbin/nginx';
export const redisServerPath = '/usr/bin/redis-server';
