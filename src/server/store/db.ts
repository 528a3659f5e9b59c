// The driver seam: everything above the store talks SQL through this small interface, and the same SQL
// runs on embedded PGlite and on a PostgreSQL server.

export interface Sql {
  /** One parameterized statement; rows come back with int8 as number and timestamptz as Date on both drivers. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** A connection pool's state: connections open, of those idle, and statements waiting for one. */
export interface PoolUsage {
  total: number;
  idle: number;
  waiting: number;
}

export interface Database extends Sql {
  readonly driver: 'pglite' | 'postgres';
  /** The pool's state now, for a driver that pools connections (not PGlite, which has one). */
  readonly poolUsage?: () => PoolUsage;
  /** Runs `work` in one transaction on one connection; a throw rolls everything back. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /** A script of several statements without parameters (migrations). */
  exec(script: string, tx?: Sql): Promise<void>;
  close(): Promise<void>;
}

/** Whether the database answers: the readiness probe. */
export async function ping(db: Sql): Promise<void> {
  await db.query('select 1');
}
