// Fresh PostgreSQL databases for test runs: created on the configured server, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { isCI, postgresAdminUrl } from './test-env.ts';

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Whether the PostgreSQL suites run. Under CI they must: an unreachable server fails the run instead of
 * skipping it. Elsewhere a developer without a server still gets the PGlite suites.
 */
export async function postgresAvailable(): Promise<boolean> {
  try {
    await withAdmin((client) => client.query('select 1'));
    return true;
  } catch (error) {
    if (isCI) throw new Error(`CI requires PostgreSQL at ${postgresAdminUrl}: ${(error as Error).message}`);
    return false;
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`create database ${name}`));
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin((client) => client.query(`drop database if exists ${name} with (force)`)).then(
        () => undefined,
      ),
  };
}
