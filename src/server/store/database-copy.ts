// Copies every row of one Parley database into another with the same schema (both migrated alike): from
// the embedded database to PostgreSQL, when a deployment outgrows one process. Tables go parents first (by
// their foreign keys), each read in primary-key order a page at a time and written in multi-row inserts, all
// in one transaction on the target: it ends with every row or with none. Generated columns are left to the
// target to compute; sequences are moved past the rows copied.
import type { Database, Sql } from './db.ts';

export interface TableCopied {
  table: string;
  rows: number;
}

const PAGE_ROWS = 1000;
/** PostgreSQL takes at most 65535 parameters per statement. */
const MAX_PARAMETERS = 60_000;

interface TableShape {
  name: string;
  /** Columns the target stores as given (generated ones it computes itself). */
  columns: string[];
  /** The primary key's columns, for reading in order; empty when the table has none. */
  key: string[];
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function tableShapes(db: Sql): Promise<TableShape[]> {
  const tables = await db.query<{ name: string }>(
    `select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'schema_migrations'
     order by table_name`,
  );
  const columns = await db.query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns
     where table_schema = 'public' and is_generated = 'NEVER'
     order by table_name, ordinal_position`,
  );
  const keys = await db.query<{ table_name: string; column_name: string }>(
    `select tc.table_name, kcu.column_name
     from information_schema.table_constraints tc
     join information_schema.key_column_usage kcu
       on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
     where tc.table_schema = 'public' and tc.constraint_type = 'PRIMARY KEY'
     order by tc.table_name, kcu.ordinal_position`,
  );
  const of = (rows: { table_name: string; column_name: string }[], table: string) =>
    rows.filter((row) => row.table_name === table).map((row) => row.column_name);
  return tables.map(({ name }) => ({ name, columns: of(columns, name), key: of(keys, name) }));
}

/** The tables in an order that inserts every referenced row before the rows that refer to it. */
async function parentsFirst(db: Sql, shapes: TableShape[]): Promise<TableShape[]> {
  const references = await db.query<{ child: string; parent: string }>(
    `select distinct cl.relname as child, pl.relname as parent
     from pg_constraint c
     join pg_class cl on cl.oid = c.conrelid
     join pg_class pl on pl.oid = c.confrelid
     join pg_namespace n on n.oid = cl.relnamespace
     where c.contype = 'f' and n.nspname = 'public' and cl.relname <> pl.relname`,
  );
  const ordered: TableShape[] = [];
  const placed = new Set<string>();
  const remaining = [...shapes];
  while (remaining.length > 0) {
    const ready = remaining.filter((shape) =>
      references.every((ref) => ref.child !== shape.name || placed.has(ref.parent)),
    );
    if (ready.length === 0)
      throw new Error(`foreign keys form a cycle among ${remaining.map((s) => s.name)}`);
    for (const shape of ready) {
      ordered.push(shape);
      placed.add(shape.name);
      remaining.splice(remaining.indexOf(shape), 1);
    }
  }
  return ordered;
}

/** Bytes come back from PGlite as Uint8Array, which `pg` would send as an array: hand it a Buffer. */
const portable = (value: unknown) =>
  value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value;

async function copyTable(source: Sql, target: Sql, shape: TableShape): Promise<number> {
  const list = shape.columns.map(quoted).join(', ');
  const perInsert = Math.max(1, Math.floor(MAX_PARAMETERS / shape.columns.length));
  const order = shape.key.length > 0 ? ` order by ${shape.key.map(quoted).join(', ')}` : '';
  let copied = 0;
  // Keyset pages by primary key, compared in the source (whose collation ordered them); a table without
  // one is read whole (Parley has none such of any size).
  let after: unknown[] | null = null;
  for (;;) {
    const where = after
      ? ` where (${shape.key.map(quoted).join(', ')}) > (${shape.key.map((_, i) => `$${i + 1}`).join(', ')})`
      : '';
    const limit = shape.key.length > 0 ? ` limit ${PAGE_ROWS}` : '';
    const rows: Record<string, unknown>[] = await source.query<Record<string, unknown>>(
      `select ${list} from ${quoted(shape.name)}${where}${order}${limit}`,
      after ?? [],
    );
    for (let start = 0; start < rows.length; start += perInsert) {
      const chunk = rows.slice(start, start + perInsert);
      const values: unknown[] = [];
      const tuples = chunk.map((row) => {
        const places = shape.columns.map((column) => {
          values.push(portable(row[column]));
          return `$${values.length}`;
        });
        return `(${places.join(', ')})`;
      });
      // Identity columns keep the source's values: the sequence is moved past them afterwards.
      await target.query(
        `insert into ${quoted(shape.name)} (${list}) overriding system value values ${tuples.join(', ')}`,
        values,
      );
    }
    copied += rows.length;
    const last = rows.at(-1);
    if (shape.key.length === 0 || rows.length < PAGE_ROWS || !last) return copied;
    after = shape.key.map((column) => last[column]);
  }
}

/** Moves each column's sequence past the greatest value copied, so new rows do not collide with them. */
async function advanceSequences(target: Sql): Promise<void> {
  const sequences = await target.query<{ table_name: string; column_name: string; sequence: string }>(
    `select table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) as sequence
     from information_schema.columns
     where table_schema = 'public' and pg_get_serial_sequence(quote_ident(table_name), column_name) is not null`,
  );
  for (const { table_name, column_name, sequence } of sequences) {
    await target.query(
      `select setval($1, coalesce((select max(${quoted(column_name)}) from ${quoted(table_name)}), 0) + 1, false)`,
      [sequence],
    );
  }
}

/** What a deployment's data lives in: a database with rows in any of these is in use. */
const DEPLOYMENT_TABLES = ['users', 'conversations', 'messages', 'api_keys'];

/** Rows of a deployment's data in the target: copying into a database that holds any is refused. */
export async function rowsHeld(db: Sql): Promise<TableCopied[]> {
  const held: TableCopied[] = [];
  for (const table of DEPLOYMENT_TABLES) {
    const [row] = await db.query<{ rows: number }>(`select count(*)::int as rows from ${quoted(table)}`);
    const rows = row?.rows ?? 0;
    if (rows > 0) held.push({ table, rows });
  }
  return held;
}

export async function copyDatabase(source: Database, target: Database): Promise<TableCopied[]> {
  const shapes = await parentsFirst(source, await tableShapes(source));
  return target.transaction(async (tx) => {
    // What the migrations put in an empty database (the notification defaults' one row) comes from the
    // source as it is there now.
    await tx.query(`truncate ${shapes.map((shape) => quoted(shape.name)).join(', ')}`);
    const copied: TableCopied[] = [];
    for (const shape of shapes) copied.push({ table: shape.name, rows: await copyTable(source, tx, shape) });
    await advanceSequences(tx);
    return copied;
  });
}
