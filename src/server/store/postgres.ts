// A PostgreSQL server through node-postgres: a pool for concurrent requests, one client per transaction.
import pg from 'pg';
import { ParleyError } from '../../protocol/errors.ts';
import type { Database, Sql } from './db.ts';

const INT8_OID = 20;
/** How long a request waits for a connection before it is told the database is unavailable. */
const CONNECT_TIMEOUT_MS = 3000;

const networkErrors = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * A failure to reach the server, as opposed to a failing statement: connection refused or lost, the server
 * shutting down or starting (SQLSTATE class 08 and 57P01–57P03), or no connection within the timeout.
 */
export function isConnectionFailure(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  if (code && (networkErrors.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message ?? '',
  );
}

/** Turns an outage into a retryable error with a stable code; other failures pass unchanged. */
function asUnavailable(error: unknown): unknown {
  if (!isConnectionFailure(error)) return error;
  return new ParleyError('unavailable', 'the database is unavailable; retry shortly', { retryAfterMs: 1000 });
}

export async function openPostgres(
  url: string,
  poolSize: number,
  onIdleClientError: (error: Error) => void,
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // int8 (counts, message ids) as numbers, as PGlite returns them; ids stay far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not crash the process; the next query reports the failure.
  pool.on('error', onIdleClientError);
  const asSql = (target: pg.Pool | pg.PoolClient): Sql => ({
    async query<Row>(text: string, params: readonly unknown[] = []) {
      try {
        const result = await target.query(text, params as unknown[]);
        return result.rows as Row[];
      } catch (error) {
        throw asUnavailable(error);
      }
    },
  });
  const scriptTargets = new WeakMap<Sql, pg.PoolClient>();
  await pool.query('select 1');
  return {
    driver: 'postgres',
    ...asSql(pool),
    poolUsage: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async transaction(work) {
      const client = await pool.connect().catch((error: unknown) => {
        throw asUnavailable(error);
      });
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const sql = asSql(client);
        scriptTargets.set(sql, client);
        const result = await work(sql);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw asUnavailable(error);
      } finally {
        client.release(broken);
      }
    },
    async exec(script, tx) {
      await (tx ? (scriptTargets.get(tx) ?? pool) : pool).query(script);
    },
    close: () => pool.end(),
  };
}
