// Fresh PostgreSQL databases for test runs: created on the configured server, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postgresAdminUrl } from './test-env.ts';

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Why the PostgreSQL server the tests use cannot be reached, or undefined if it answers a query. */
export async function postgresServerProblem(): Promise<string | undefined> {
  try {
    await withAdmin((client) => client.query('select 1'));
    return undefined;
  } catch (error) {
    // Host and port only: DATABASE_URL may carry a password.
    const { hostname, port } = new URL(postgresAdminUrl);
    return `cannot use the server at ${hostname}:${port || 5432} (${(error as Error).message})`;
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
