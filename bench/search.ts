// How fast full-text search answers a user who may read 10 % of the conversations, on a million messages in
// real PostgreSQL (or 100,000 in PGlite): 20 representative queries through the domain search (docs/search.md).
//   npm run bench:search [-- --driver pglite] [--messages N] [--conversations N] [--runs N]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { User } from '../src/protocol/models.ts';
import type { SearchQuery } from '../src/protocol/search.ts';
import { createSearch } from '../src/server/domain/search/search.ts';
import type { Database } from '../src/server/store/db.ts';
import { migrate } from '../src/server/store/migrate.ts';
import { openPglite } from '../src/server/store/pglite.ts';
import { openPostgres } from '../src/server/store/postgres.ts';
import { isMadeUpWord, type SearchData, seedSearchData } from './search-data.ts';
import { latencyRow } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    driver: { type: 'string', default: 'postgres' },
    messages: { type: 'string' },
    conversations: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '10' },
  },
});
const driver = args.driver === 'pglite' ? 'pglite' : 'postgres';
const messageCount = Number(args.messages ?? (driver === 'pglite' ? 100_000 : 1_000_000));
const conversationCount = Number(args.conversations);
const runs = Number(args.runs);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface BenchQuery {
  kind: string;
  query: Omit<SearchQuery, 'limit'>;
}

/** Runs one statement on the server's maintenance connection (creating or dropping the scratch database). */
async function onServer(statement: string): Promise<void> {
  const admin = await openPostgres(adminUrl, 1, (error) => console.error('admin connection failed', error));
  try {
    await admin.query(statement);
  } finally {
    await admin.close();
  }
}

function progressBar(total: number, started: number) {
  return (done: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} messages, ${seconds} s`,
    );
    if (done === total) process.stderr.write('\n');
  };
}

/** Query terms taken from what the searcher may read, so every query stands for a real need. */
async function representativeQueries(db: Database, data: SearchData): Promise<BenchQuery[]> {
  const sample = await db.query<{ body: string; sender_id: string; conversation_id: string }>(
    `select body, sender_id, conversation_id from messages where conversation_id = any($1::text[])
     order by id desc limit 20000`,
    [data.searcherConversationIds],
  );
  const bodies = sample.map((row) => row.body).join(' ');
  const first = (pattern: RegExp) => pattern.exec(bodies)?.[0] ?? 'missing';
  const rare = [...new Set(bodies.match(/\b[a-z]{8}\b/g) ?? [])].filter((word) => isMadeUpWord(word, 4));
  const senders = new Map<string, number>();
  for (const row of sample) senders.set(row.sender_id, (senders.get(row.sender_id) ?? 0) + 1);
  const busiest = [...senders.entries()].sort((a, b) => b[1] - a[1])[1]?.[0] ?? data.searcherId;
  const quiet = [...senders.entries()].sort((a, b) => a[1] - b[1])[0]?.[0] ?? data.searcherId;
  const [record] = await db.query<{ id: string }>(
    `select r.id from records r where r.conversation_id = any($1::text[]) order by r.id limit 1`,
    [data.searcherConversationIds],
  );
  const day = (offsetDays: number) =>
    new Date(data.lastCreatedAt.getTime() - offsetDays * 86_400_000).toISOString().slice(0, 10);
  const po = first(/PO-\d{5}/);
  const sku = first(/SKU-[A-Z]{2}-\d{2}/);
  const tracking = first(/1Z999AA1\d{10}/);
  return [
    { kind: 'rare word', query: { q: rare[0] ?? 'missing' } },
    { kind: 'rare word', query: { q: rare[1] ?? 'missing' } },
    { kind: 'rare word', query: { q: `${rare[2]} ${rare[3]}` } },
    { kind: 'common word', query: { q: 'order' } },
    { kind: 'common word', query: { q: 'customer' } },
    { kind: 'common word', query: { q: 'warehouse' } },
    { kind: 'common word', query: { q: 'follow' } },
    { kind: 'phrase', query: { q: '"delivery delayed"' } },
    { kind: 'phrase', query: { q: '"customer order"' } },
    { kind: 'identifier', query: { q: po } },
    { kind: 'identifier', query: { q: po.slice(3) } },
    { kind: 'identifier', query: { q: sku.slice(4) } },
    { kind: 'identifier', query: { q: tracking.slice(7) } },
    { kind: 'identifier', query: { q: first(/#\d{4}/) } },
    { kind: 'sender filter', query: { q: 'order', senderId: busiest } },
    { kind: 'sender filter', query: { q: 'invoice', senderId: quiet } },
    { kind: 'date filter', query: { q: 'customer', from: day(7) } },
    { kind: 'date filter', query: { q: 'invoice', from: day(200), to: day(170) } },
    { kind: 'other filters', query: { q: 'refund or replacement -damaged', hasLink: true } },
    { kind: 'other filters', query: { q: 'order', recordType: 'order', recordId: record?.id ?? 'missing' } },
  ];
}

const row = (label: string, samples: number[], extra = '') => latencyRow(label, samples, 44, extra);

async function measure(db: Database, data: SearchData): Promise<void> {
  const searcher: User = {
    id: data.searcherId,
    displayName: 'Searcher',
    email: null,
    orgId: 'axiom',
    orgKind: 'internal',
    role: 'member',
  };
  const search = createSearch({ db });
  const queries = await representativeQueries(db, data);
  const byQuery: { label: string; kind: string; hits: number; samples: number[] }[] = [];
  for (const { kind, query } of queries) {
    const request = { ...query, limit: 20 };
    const { hits } = await search.search(searcher, request);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const before = performance.now();
      await search.search(searcher, request);
      samples.push(performance.now() - before);
    }
    const filters = Object.entries(query)
      .filter(([key]) => key !== 'q')
      .map(([key, value]) => `${key}=${String(value).slice(0, 10)}`)
      .join(' ');
    byQuery.push({ label: `${query.q} ${filters}`.slice(0, 42), kind, hits: hits.length, samples });
  }
  const header = `${'query'.padEnd(44)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'max'.padStart(8)}`;
  console.log(`\n${runs} runs per query after one warm-up, page of 20 hits (ms)\n${header}   hits`);
  for (const q of byQuery) console.log(row(q.label, q.samples, `   ${q.hits}`));
  console.log(`\n${header}`);
  for (const kind of [...new Set(byQuery.map((q) => q.kind))]) {
    console.log(
      row(
        kind,
        byQuery.filter((q) => q.kind === kind).flatMap((q) => q.samples),
      ),
    );
  }
  console.log(
    row(
      'all 20 queries',
      byQuery.flatMap((q) => q.samples),
    ),
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  let db: Database;
  let cleanUp: () => Promise<void>;
  if (driver === 'postgres') {
    const name = `parley_bench_search_${randomBytes(6).toString('hex')}`;
    await onServer(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    db = await openPostgres(url.toString(), 4, (error) => console.error('idle connection failed', error));
    cleanUp = async () => {
      await db.close();
      await onServer(`drop database if exists ${name} with (force)`);
    };
  } else {
    db = await openPglite('memory://');
    cleanUp = () => db.close();
  }
  try {
    await migrate(db);
    const seedStarted = performance.now();
    const data = await seedSearchData(db, {
      messages: messageCount,
      conversations: conversationCount,
      searcherEvery: 10,
      onProgress: progressBar(messageCount, seedStarted),
    });
    const [readable] = await db.query<{ count: number }>(
      'select count(*)::int as count from messages where conversation_id = any($1::text[])',
      [data.searcherConversationIds],
    );
    console.log(
      `${driver}: ${messageCount.toLocaleString('en')} messages in ${conversationCount} conversations, seeded in ` +
        `${((performance.now() - seedStarted) / 1000).toFixed(0)} s; the searcher reads ` +
        `${data.searcherConversationIds.length} conversations (${readable?.count.toLocaleString('en')} messages)`,
    );
    await measure(db, data);
  } finally {
    await cleanUp();
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

await main();
