// Embedded PostgreSQL (PGlite, WebAssembly): the zero-setup default, data kept in a directory.
import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Database, Sql } from './db.ts';

export async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // pg_trgm backs search by parts of identifiers (migration 006).
  const pg = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  // PGlite runs one statement at a time; its transaction() holds the connection exclusively until it ends.
  const asSql = (target: PGlite | Transaction): Sql => ({
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await target.query<Row>(text, params as unknown[]);
      return result.rows;
    },
  });
  const scriptTargets = new WeakMap<Sql, Transaction>();
  return {
    driver: 'pglite',
    ...asSql(pg),
    transaction: (work) =>
      pg.transaction(async (tx) => {
        const sql = asSql(tx);
        scriptTargets.set(sql, tx);
        return work(sql);
      }),
    async exec(script, tx) {
      await (tx ? (scriptTargets.get(tx) ?? pg) : pg).exec(script);
    },
    close: () => pg.close(),
  };
}
