// `npm run bench -- insert-rate`: how many message-shaped rows a second the PostgreSQL server itself takes,
// one row per autocommitted statement (each a commit, so a WAL flush) and many rows per statement: the
// ceiling under Parley's send path, and how much of it one commit per message leaves unused.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { describeMachine, machineLine } from './lib/machine.ts';
import { markdownTable } from './lib/markdown-table.ts';
import { positive, positiveInteger } from './lib/options.ts';
import { outOption, publishResults } from './lib/results.ts';
import { createScratchDatabase } from './lib/scratch-database.ts';
import { type LatencySummary, summarize } from './stats.ts';

/** The columns and unique keys of Parley's messages table, without its foreign keys and search indexes. */
const SCHEMA = `create table bench_messages (
  id bigint generated always as identity primary key,
  conversation_id text not null,
  seq integer not null,
  sender_id text not null,
  client_msg_id text not null,
  body text not null,
  mentions text[] not null default '{}',
  kind text not null default 'message',
  created_at timestamptz not null default now(),
  unique (conversation_id, seq),
  unique (sender_id, client_msg_id)
)`;

const INSERT_ROWS = `insert into bench_messages (conversation_id, seq, sender_id, client_msg_id, body)
  select * from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[])`;

/** Settings that decide what a commit costs. */
const SETTINGS = [
  'synchronous_commit',
  'fsync',
  'wal_sync_method',
  'commit_delay',
  'wal_level',
  'shared_buffers',
];

interface ModeResult {
  mode: string;
  rowsPerStatement: number;
  connections: number;
  seconds: number;
  rows: number;
  rowsPerSecond: number;
  statementsPerSecond: number;
  statementLatency: LatencySummary;
}

/** Each connection inserts into a conversation of its own, seqs counting up, for the given time. */
async function measure(
  url: string,
  mode: string,
  rowsPerStatement: number,
  options: { connections: number; seconds: number; bodyBytes: number },
): Promise<ModeResult> {
  const body = 'x'.repeat(options.bodyBytes);
  const clients = await Promise.all(
    Array.from({ length: options.connections }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const latencies: number[] = [];
  let rows = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (client, lane) => {
        const conversation = `${mode}-${lane}`;
        for (let seq = 1; performance.now() < deadline; seq += rowsPerStatement) {
          const seqs = Array.from({ length: rowsPerStatement }, (_, i) => seq + i);
          const before = performance.now();
          await client.query(INSERT_ROWS, [
            seqs.map(() => conversation),
            seqs,
            seqs.map(() => `sender-${lane}`),
            seqs.map((s) => `${conversation}-${s}`),
            seqs.map(() => body),
          ]);
          latencies.push(performance.now() - before);
          rows += rowsPerStatement;
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    mode,
    rowsPerStatement,
    connections: options.connections,
    seconds: Math.round(seconds * 10) / 10,
    rows,
    rowsPerSecond: Math.round(rows / seconds),
    statementsPerSecond: Math.round(latencies.length / seconds),
    statementLatency: summarize(latencies),
  };
}

export async function insertRate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      connections: { type: 'string' },
      seconds: { type: 'string' },
      batch: { type: 'string' },
      bytes: { type: 'string' },
      ...outOption,
    },
  });
  const options = {
    connections: positiveInteger('connections', values.connections, 4),
    seconds: positive('seconds', values.seconds, 5),
    bodyBytes: positiveInteger('bytes', values.bytes, 100),
  };
  const batch = positiveInteger('batch', values.batch, 100);
  const machine = await describeMachine();
  const database = await createScratchDatabase('insert');
  const setup = new pg.Client({ connectionString: database.url });
  await setup.connect();
  let settings: Record<string, string>;
  try {
    await setup.query(SCHEMA);
    const { rows } = await setup.query<{ name: string; setting: string; unit: string | null }>(
      'select name, setting, unit from pg_settings where name = any($1)',
      [SETTINGS],
    );
    settings = Object.fromEntries(
      rows.map((row) => [row.name, `${row.setting}${row.unit ? ` ${row.unit}` : ''}`]),
    );
  } finally {
    await setup.end();
  }
  console.error(`inserting for ${options.seconds} s per mode over ${options.connections} connections`);
  const results: ModeResult[] = [];
  for (const [mode, rowsPerStatement] of [
    ['single-row autocommit', 1],
    [`${batch} rows per statement`, batch],
  ] as const) {
    results.push(await measure(database.url, mode, rowsPerStatement, options));
    console.error(`${mode}: ${results.at(-1)!.rowsPerSecond} rows/s`);
  }
  await database.drop();

  const markdown = [
    '# Raw INSERT rate of the PostgreSQL server',
    '',
    `Message-shaped rows (${options.bodyBytes} B bodies, Parley's columns and unique keys, no foreign keys or ` +
      `search indexes) into a scratch table, ${options.connections} connections for ${options.seconds} s per mode.`,
    '',
    `Machine: ${machineLine(machine)}.`,
    '',
    `Settings: ${Object.entries(settings)
      .map(([name, value]) => `${name} = ${value}`)
      .join(', ')}.`,
    '',
    markdownTable(
      ['mode', 'rows/s', 'statements/s', 'statement p50 ms', 'p95 ms', 'max ms'],
      results.map((r) => [
        r.mode,
        r.rowsPerSecond,
        r.statementsPerSecond,
        r.statementLatency.p50.toFixed(1),
        r.statementLatency.p95.toFixed(1),
        r.statementLatency.max.toFixed(1),
      ]),
    ),
    '',
  ].join('\n');
  await publishResults(
    'insert-rate',
    machine.date,
    { json: { machine, options, settings, results }, markdown },
    values.out,
  );
  return 0;
}
