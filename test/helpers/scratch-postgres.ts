// A private PostgreSQL cluster for fault tests that stop and restart the database; the shared server on
// 5432 is never touched. Parley can use the cluster's own `postgres` database (`url`) or one made by
// `createDatabase`. Every cluster is stopped and removed when the test process ends, pass or fail.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { cleanUpOnExit, findFreePort } from './child-server.ts';
import { giveToPostgres, runPostgresProgram } from './postgres-programs.ts';

/** Whether initdb and pg_ctl run here, as the global setup found; suites that need them skip otherwise. */
export const privateClustersAvailable = inject('machine').postgresPrograms;

export interface ScratchPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres; trust authentication, no password. */
  readonly url: string;
  readonly port: number;
  /** `pg_ctl stop -m fast`: open sessions are terminated, as in a real database restart. */
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Creates a database in this cluster and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the cluster and removes its data directory. */
  destroy(): Promise<void>;
}

const clusters = new Set<string>();

// An immediate shutdown (SIGQUIT to the postmaster) is instant, where pg_ctl would outlast the moment a
// stopping test worker is given before SIGKILL.
cleanUpOnExit(() => {
  for (const dir of clusters) {
    const pidFile = join(dir, 'postmaster.pid');
    const postmasterPid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    try {
      if (postmasterPid > 0) process.kill(postmasterPid, 'SIGQUIT');
    } catch (error) {
      // A stale pid file: the server is already gone, which is what this cleanup wants.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
});

export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  clusters.add(dir);
  const port = await findFreePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const logFile = join(dir, 'log');

  const logTail = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '(no log)');
  const pgCtl = async (args: string[]) => {
    try {
      await runPostgresProgram('pg_ctl', ['-D', dir, ...args], dir);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nserver log:\n${logTail()}`);
    }
  };
  const isRunning = () => existsSync(join(dir, 'postmaster.pid'));

  const start = () =>
    pgCtl([
      '-o',
      `-p ${port} -k '${dir}' -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-l',
      logFile,
      '-w',
      'start',
    ]);
  const stop = async () => {
    if (isRunning()) await pgCtl(['-m', 'fast', '-w', 'stop']);
  };

  try {
    await giveToPostgres(dir);
    await runPostgresProgram(
      'initdb',
      ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      dir,
    );
    await start();
  } catch (error) {
    clusters.delete(dir);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    port,
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
    createDatabase: async (name) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`create database ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
    },
    destroy: async () => {
      await stop();
      clusters.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
