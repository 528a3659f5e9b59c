// A PostgreSQL server through node-postgres: a pool for concurrent requests, one client per transaction.
import pg from 'pg';
import type { Database, Sql } from './db.ts';

const INT8_OID = 20;

export async function openPostgres(
  url: string,
  poolSize: number,
  onIdleClientError: (error: Error) => void,
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
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
      const result = await target.query(text, params as unknown[]);
      return result.rows as Row[];
    },
  });
  const scriptTargets = new WeakMap<Sql, pg.PoolClient>();
  await pool.query('select 1');
  return {
    driver: 'postgres',
    ...asSql(pool),
    async transaction(work) {
      const client = await pool.connect();
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
        throw error;
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
