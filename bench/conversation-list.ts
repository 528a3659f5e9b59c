// How fast one user's conversation list and unread badge answer with 500 conversations and 20,000+
// messages on real PostgreSQL, and whether the list query stays off the messages table (see README.md).
import { randomBytes } from 'node:crypto';
import { startParley } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { inParallel } from './lib/in-parallel.ts';
import { createScratchDatabase } from './lib/scratch-database.ts';
import { latencyRow } from './stats.ts';
import { type BenchUser, parleyApi } from './targets/parley-api.ts';

const CONVERSATIONS = 500;
/** Every other conversation is a channel with this many colleagues besides the user. */
const CHANNEL_COLLEAGUES = 4;
const COLLEAGUES = 40;
const WARM_UPS = 20;
const RUNS = 200;
const CONCURRENCY = 16;
const SEED_BATCH = 50;
const SECRET = randomBytes(32).toString('base64url');

interface SeededConversation {
  id: string;
  /** Who else sends in it: the DM partner, or the channel's colleagues. */
  senders: string[];
  messages: number;
}

async function main(): Promise<void> {
  const started = performance.now();
  const database = await createScratchDatabase('list');

  const server = await startParley(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      PARLEY_JWT_SECRET: SECRET,
      PARLEY_DEMO: '0',
      PARLEY_RATE_SENDS_PER_10S: '1000000',
      PARLEY_RATE_CONNECTS_PER_10S: '1000000',
      PARLEY_RATE_WRITES_PER_MINUTE: '1000000',
      PARLEY_RATE_EVENTS_PER_10S: '10000000',
      LOG_LEVEL: 'silent',
    }),
  );
  try {
    const { call, user } = parleyApi(server.url, SECRET, 'acme');

    // People and conversations through the API, as a host's users would make them.
    const owner = await user('owner');
    const dmCount = Math.ceil(CONVERSATIONS / 2);
    const partners = await inParallel(
      Array.from({ length: dmCount }, (_, i) => `partner-${i}`),
      CONCURRENCY,
      user,
    );
    const colleagues = await inParallel(
      Array.from({ length: COLLEAGUES }, (_, i) => `colleague-${i}`),
      CONCURRENCY,
      user,
    );
    const conversations = await inParallel(
      Array.from({ length: CONVERSATIONS }, (_, i) => i),
      CONCURRENCY,
      async (i): Promise<SeededConversation> => {
        const messages = 30 + ((i * 7) % 31);
        if (i % 2 === 0) {
          const partner = partners[i / 2] as BenchUser;
          const { conversation } = await call<{ conversation: { id: string } }>(
            owner,
            'POST',
            '/api/conversations',
            {
              kind: 'direct',
              memberIds: [partner.id],
            },
          );
          return { id: conversation.id, senders: [partner.id], messages };
        }
        const members = Array.from(
          { length: CHANNEL_COLLEAGUES },
          (_, k) => (colleagues[(i + k * 7) % COLLEAGUES] as BenchUser).id,
        );
        const { conversation } = await call<{ conversation: { id: string } }>(
          owner,
          'POST',
          '/api/conversations',
          {
            kind: 'channel',
            name: `channel-${i}`,
            memberIds: members,
          },
        );
        return { id: conversation.id, senders: members, messages };
      },
    );
    console.log(`seeding: ${conversations.length} conversations created through the API`);

    // Messages in batched SQL: tens of thousands of sends through the API would be the benchmark's whole
    // run. Seqs, last_seq, mentions and read cursors are kept as the append would keep them.
    const db = server.db;
    let seeded = 0;
    for (let from = 0; from < conversations.length; from += SEED_BATCH) {
      const batch = conversations.slice(from, from + SEED_BATCH);
      await db.transaction(async (tx) => {
        await tx.query(
          `insert into messages (conversation_id, seq, sender_id, client_msg_id, body, mentions, created_at)
           select c.id, s.seq,
             case when s.seq % 4 = 0 then $4 else c.senders[1 + s.seq % cardinality(c.senders)] end,
             'bench-' || c.id || '-' || s.seq,
             'Message ' || s.seq || ': the shipment for order ' || (1000 + s.seq) || ' is on its way.',
             case when s.seq % 17 = 0 and s.seq % 4 <> 0 then array[$4] else '{}'::text[] end,
             now() - make_interval(mins => c.n - s.seq, secs => c.ord)
           from (select id, n, ord, string_to_array(senders, ',') as senders
                 from unnest($1::text[], $2::int[], $3::text[]) with ordinality as x(id, n, senders, ord)) c
           cross join lateral generate_series(1, c.n) as s(seq)`,
          [
            batch.map((c) => c.id),
            batch.map((c) => c.messages),
            batch.map((c) => c.senders.join(',')),
            owner.id,
          ],
        );
        await tx.query(
          `insert into message_mentions (user_id, conversation_id, seq)
           select unnest(m.mentions), m.conversation_id, m.seq from messages m
           where m.conversation_id = any($1::text[]) and cardinality(m.mentions) > 0`,
          [batch.map((c) => c.id)],
        );
        await tx.query(
          `update conversations c set last_seq = x.last_seq, updated_at = x.updated_at
           from (select conversation_id, max(seq) as last_seq, max(created_at) as updated_at from messages
                 where conversation_id = any($1::text[]) group by conversation_id) x
           where c.id = x.conversation_id`,
          [batch.map((c) => c.id)],
        );
      });
      seeded += batch.reduce((sum, c) => sum + c.messages, 0);
      console.log(
        `seeding: ${Math.min(from + SEED_BATCH, conversations.length)}/${conversations.length} conversations, ${seeded} messages`,
      );
    }
    // The owner has read a third of the conversations to the end and the rest up to some point; a tenth
    // is muted. Everyone else has read everything.
    await db.query(
      `update conversation_members m set
         last_read_seq = case when m.user_id <> $1 then c.last_seq
                              when x.ord % 3 = 0 then c.last_seq
                              when x.ord % 3 = 1 then greatest(c.last_seq - 1 - x.ord % 7, 0)
                              else greatest(c.last_seq - 20, 0) end,
         muted = m.user_id = $1 and x.ord % 10 = 0
       from conversations c, unnest($2::text[]) with ordinality as x(id, ord)
       where c.id = m.conversation_id and c.id = x.id`,
      [owner.id, conversations.map((c) => c.id)],
    );
    await db.query('analyze');
    const [expected] = await db.query<{ unread: number; mentions: number; conversations: number }>(
      `select sum(c.last_seq - m.last_read_seq) filter (where not m.muted) as unread,
         count(*) filter (where not m.muted and c.last_seq > m.last_read_seq) as conversations,
         (select count(*) from message_mentions mm join conversation_members x
            on x.conversation_id = mm.conversation_id and x.user_id = mm.user_id
          where mm.user_id = $1 and mm.seq > x.last_read_seq) as mentions
       from conversation_members m join conversations c on c.id = m.conversation_id where m.user_id = $1`,
      [owner.id],
    );
    const setupSeconds = (performance.now() - started) / 1000;
    const [{ count: messageCount } = { count: 0 }] = await db.query<{ count: number }>(
      'select count(*) as count from messages',
    );
    if (messageCount < 20_000) throw new Error(`only ${messageCount} messages seeded`);

    // What the endpoints answer, checked once before timing them.
    const list = await call<{ conversations: { unreadCount: number; mentionCount: number }[] }>(
      owner,
      'GET',
      '/api/conversations',
    );
    const totals = await call<{ unreadCount: number; mentionCount: number; conversationCount: number }>(
      owner,
      'GET',
      '/api/me/unread',
    );
    if (list.conversations.length !== CONVERSATIONS) {
      throw new Error(`the list has ${list.conversations.length} conversations, not ${CONVERSATIONS}`);
    }
    const agrees =
      totals.unreadCount === expected?.unread &&
      totals.mentionCount === expected?.mentions &&
      totals.conversationCount === expected?.conversations;
    console.log(
      `\nseeded ${CONVERSATIONS} conversations (${dmCount} DMs, ${CONVERSATIONS - dmCount} channels), ` +
        `${messageCount} messages in ${setupSeconds.toFixed(1)} s`,
    );
    console.log(
      `badge: ${totals.unreadCount} unread in ${totals.conversationCount} conversations, ` +
        `${totals.mentionCount} mentions (${agrees ? 'matches' : 'DIFFERS FROM'} a direct count: ${JSON.stringify(expected)})`,
    );

    // Latency, one request at a time, as a user opening the app sees it.
    const time = async (path: string) => {
      for (let i = 0; i < WARM_UPS; i++) await call(owner, 'GET', path);
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const before = performance.now();
        await call(owner, 'GET', path);
        samples.push(performance.now() - before);
      }
      return samples.sort((a, b) => a - b);
    };
    const rows: [string, number[]][] = [
      ['GET /api/conversations', await time('/api/conversations')],
      ['GET /api/me/unread', await time('/api/me/unread')],
    ];
    console.log(`\n${RUNS} runs each after ${WARM_UPS} warm-ups (ms)`);
    console.log(`${'endpoint'.padEnd(24)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'max'.padStart(8)}`);
    for (const [name, samples] of rows) console.log(latencyRow(name, samples, 24));

    // The plan of the very statements the endpoints run: caught on their way to the database.
    const statements: { text: string; params: readonly unknown[] }[] = [];
    const query = db.query.bind(db);
    db.query = ((text: string, params: readonly unknown[] = []) => {
      statements.push({ text, params });
      return query(text, params);
    }) as typeof db.query;
    await call(owner, 'GET', '/api/conversations');
    await call(owner, 'GET', '/api/me/unread');
    db.query = query;
    const listQuery = statements.find(
      (s) => /left join lateral/.test(s.text) && /where m\.user_id/.test(s.text),
    );
    const unreadQuery = statements.find((s) => /filter \(where not m\.muted\)/.test(s.text));
    if (!listQuery || !unreadQuery) throw new Error('could not catch the list and unread statements');
    console.log();
    await explain(db, 'list', listQuery);
    await explain(db, 'unread', unreadQuery);
  } finally {
    await server.close();
    await database.drop();
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Actual Loops'?: number;
  'Actual Rows'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/**
 * Prints how the statement reads `messages`. The only acceptable access is the probe for the last message:
 * an index scan on (conversation_id, seq) with both columns bound. Anything else scans history.
 */
async function explain(
  db: { query: <Row>(text: string, params?: readonly unknown[]) => Promise<Row[]> },
  label: string,
  statement: { text: string; params: readonly unknown[] },
): Promise<void> {
  const [row] = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(
    `explain (analyze, buffers, format json) ${statement.text}`,
    statement.params,
  );
  const plan = row?.['QUERY PLAN'][0];
  if (!plan) throw new Error(`no plan for the ${label} statement`);
  const nodes = nodesOf(plan.Plan);
  const onMessages = nodes.filter((node) => node['Relation Name'] === 'messages');
  const probes = onMessages.filter(
    (node) =>
      /Index( Only)? Scan/.test(node['Node Type']) &&
      node['Index Name'] === 'messages_conversation_id_seq_key' &&
      /conversation_id = /.test(node['Index Cond'] ?? '') &&
      /seq = /.test(node['Index Cond'] ?? ''),
  );
  const scans = onMessages.filter((node) => !probes.includes(node));
  const blocks = (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0);
  console.log(
    `EXPLAIN ${label}: ${plan['Execution Time'].toFixed(1)} ms in the database, ${blocks} buffers, ` +
      `${nodes.map((n) => n['Node Type']).join(' > ')}`,
  );
  for (const node of onMessages) {
    console.log(
      `  messages: ${node['Node Type']} using ${node['Index Name'] ?? '(no index)'} ` +
        `on ${node['Index Cond'] ?? '(no condition)'}, ${node['Actual Loops']} loops, ${node['Actual Rows']} rows each`,
    );
  }
  console.log(
    onMessages.length === 0
      ? '  messages: not touched'
      : scans.length === 0
        ? '  messages: only the (conversation_id, seq) probe for the last message: no scan'
        : `  messages: SCANNED (${scans.map((n) => n['Node Type']).join(', ')}): the list must not read history`,
  );
  if (scans.length > 0) process.exitCode = 1;
}

await main();
