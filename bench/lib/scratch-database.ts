// Scratch databases on the PostgreSQL server the tests use (DATABASE_URL, or the local default): created
// fresh for one benchmark and dropped at its end, pass or fail.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { onCleanup } from './cleanup.ts';

/** Any database on the server: the benchmarks only create and drop their own next to it. */
export const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

export async function createScratchDatabase(purpose: string): Promise<ScratchDatabase> {
  const name = `parley_bench_${purpose}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // `with (force)` ends the connections a crashed or killed server left open on it.
  const drop = onCleanup(`drop database ${name}`, async () => {
    await withAdmin((client) => client.query(`drop database if exists ${name} with (force)`));
  });
  return { name, url: url.toString(), drop };
}

/** `15.4` and the like; null when no server answers (a run that needs none still reports the machine). */
export async function postgresVersion(): Promise<string | null> {
  try {
    return await withAdmin(async (client) => {
      const { rows } = await client.query<{ server_version: string }>('show server_version');
      return rows[0]?.server_version ?? null;
    });
  } catch {
    return null;
  }
}
