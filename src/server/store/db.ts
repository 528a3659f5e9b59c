// The driver seam: everything above the store talks SQL through this small interface, and the same SQL
// runs on embedded PGlite and on a PostgreSQL server.

export interface Sql {
  /** One parameterized statement; rows come back with int8 as number and timestamptz as Date on both drivers. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Sql {
  readonly driver: 'pglite' | 'postgres';
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
