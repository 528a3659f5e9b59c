// Synthetic chat history for the search benchmark: conversations, members and messages whose words follow
// a Zipf curve, with order numbers, SKUs, tracking numbers, names and links, inserted in batched SQL.
import type { Database } from '../src/server/store/db.ts';

export interface SearchDataOptions {
  messages: number;
  conversations: number;
  /** Every `searcherEvery`-th conversation has the searcher as a member. */
  searcherEvery: number;
  /** Reports rows written so far. */
  onProgress: (written: number) => void;
}

export interface SearchData {
  searcherId: string;
  /** The searcher's conversations, for picking query terms that exist where they may read. */
  searcherConversationIds: string[];
  lastCreatedAt: Date;
}

const USERS = 400;
const BATCH = 5000;
const HISTORY_DAYS = 365;
const DAY_MS = 86_400_000;

/** Content words, most frequent first; their rank drives the Zipf curve. */
const commonWords = `order customer delivery shipment update invoice please thanks today tomorrow warehouse
  package address payment refund stock price quote supplier label pallet carrier tracking delayed confirmed
  cancelled return damaged replacement urgent schedule meeting call email check sent received approved
  pending issue problem fixed ticket account contract discount credit report weekly monthly budget team
  project deadline review draft final version change request support question answer customs container
  freight truck driver route pickup dropoff signature photo receipt balance overdue reminder follow`.split(
  /\s+/,
);
const stopWords = 'the a to and of is for on in we it this that with be can you i have will at'.split(' ');
const firstNames = 'Ada Grace Alan Linus Margaret Barbara Ken Dennis Edsger Donald Frances Katherine'.split(
  ' ',
);
const lastNames =
  'Lovelace Hopper Turing Torvalds Hamilton Liskov Thompson Ritchie Dijkstra Knuth Allen'.split(' ');
const syllables = 'ka lo mi nu pe ra si to vu xa ze bo ci du fe gi'.split(' ');

/** Whether a word is one of the generator's made-up words of this many syllables (4: the rare ones). */
export function isMadeUpWord(word: string, syllableCount: number): boolean {
  return new RegExp(`^(?:${syllables.join('|')}){${syllableCount}}$`).test(word);
}

/** Deterministic PRNG (mulberry32): the same arguments give the same history on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function createTextGenerator(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const digits = (count: number) => String(Math.floor(random() * 10 ** count)).padStart(count, '0');
  const letters = (count: number) =>
    Array.from({ length: count }, () => String.fromCharCode(65 + Math.floor(random() * 26))).join('');
  const madeUpWord = (syllableCount: number) =>
    Array.from({ length: syllableCount }, () => pick(syllables)).join('');
  // The domain words first, then a long tail of 3,000 made-up words; each rank r weighs 1/r (Zipf).
  const vocabulary = [...commonWords, ...Array.from({ length: 3000 }, () => madeUpWord(3))];
  const cumulative: number[] = [];
  const total = vocabulary.reduce((sum, _, rank) => sum + 1 / (rank + 1), 0);
  for (let rank = 0, sum = 0; rank < vocabulary.length; rank++) {
    sum += 1 / (rank + 1) / total;
    cumulative.push(sum);
  }
  const zipf = () => {
    const x = random();
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) < x) low = middle + 1;
      else high = middle;
    }
    return vocabulary[low] as string;
  };
  const identifier = () => {
    const roll = random();
    if (roll < 0.35) return `PO-${digits(5)}`;
    if (roll < 0.6) return `SKU-${letters(2)}-${digits(2)}`;
    if (roll < 0.8) return `1Z999AA1${digits(10)}`;
    return `#${digits(4)}`;
  };
  return (): string => {
    const length = 4 + Math.floor(random() * 18);
    const words: string[] = [];
    for (let i = 0; i < length; i++) {
      const roll = random();
      if (roll < 0.35) words.push(pick(stopWords));
      else if (roll < 0.93) words.push(zipf());
      // Rare words: 65,536 possible four-syllable words, a handful of uses each in a million messages.
      else if (roll < 0.97) words.push(madeUpWord(4));
      else words.push(pick(firstNames));
    }
    if (random() < 0.25) words.splice(Math.floor(random() * words.length), 0, identifier());
    if (random() < 0.05) words.push(`https://shop.example.com/orders/${digits(6)}`);
    if (random() < 0.03) words.push(`${pick(firstNames)} ${pick(lastNames)}`);
    const sentence = words.join(' ');
    return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
  };
}

/** Writes the history; the caller has migrated the database and owns it. */
export async function seedSearchData(db: Database, options: SearchDataOptions): Promise<SearchData> {
  const random = prng(20_240_611);
  const text = createTextGenerator(random);
  const searcherId = 'searcher';
  await db.query(
    `insert into organizations (id, name, kind) values ('axiom', 'Axiom', 'internal'), ('oracare', 'Oracare', 'client')`,
  );
  const userIds = Array.from({ length: USERS }, (_, i) => `user-${i}`);
  await db.query(
    `insert into users (id, display_name, email, org_id, role)
     select id, initcap(replace(id, '-', ' ')), id || '@bench.test', case when n % 4 = 0 then 'oracare' else 'axiom' end, 'member'
     from unnest($1::text[]) with ordinality as u(id, n)`,
    [[searcherId, ...userIds]],
  );

  // Group conversations, every fifth (the first included) a record thread scoped to both organisations.
  const members: string[][] = [];
  const conversationIds = Array.from({ length: options.conversations }, (_, i) => `conv-${i}`);
  for (let i = 0; i < options.conversations; i++) {
    const count = 3 + Math.floor(random() * 6);
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(userIds[Math.floor(random() * USERS)] as string);
    members.push([...chosen]);
  }
  await db.query(
    `insert into conversations (id, kind, name, created_by, scope_org_ids, min_role, visibility, created_at)
     select id, case when n % 5 = 1 then 'record' else 'group' end, 'Conversation ' || n, 'user-0',
       case when n % 5 = 1 then array['axiom', 'oracare'] end, case when n % 5 = 1 then 'viewer' end,
       case when n % 5 = 1 then 'private' end, now() - interval '${HISTORY_DAYS + 1} days'
     from unnest($1::text[]) with ordinality as c(id, n)`,
    [conversationIds],
  );
  await db.query(
    `insert into records (type, id, conversation_id, title)
     select 'order', (100000 + n)::text, id, 'Order ' || (100000 + n) from unnest($1::text[]) with ordinality as c(id, n)
     where n % 5 = 1`,
    [conversationIds],
  );
  const searcherConversationIds = conversationIds.filter((_, i) => i % options.searcherEvery === 0);
  const memberPairs = members.flatMap((ids, i) => ids.map((id) => [conversationIds[i], id]));
  for (const id of searcherConversationIds) memberPairs.push([id, searcherId]);
  await db.query(
    `insert into conversation_members (conversation_id, user_id)
     select * from unnest($1::text[], $2::text[])`,
    [memberPairs.map((p) => p[0]), memberPairs.map((p) => p[1])],
  );

  // A bulk load: the small GIN pending lists that keep searches fast make a million single-row index
  // updates slow; batching them and flushing once afterwards (vacuum) leaves the indexes in the same state.
  const ginIndexes = await db.query<{ name: string; options: string[] }>(
    `select relname as name, reloptions as options from pg_class
     where relname in ('messages_search_idx', 'messages_body_trgm_idx')`,
  );
  for (const { name } of ginIndexes)
    await db.query(`alter index ${name} set (gin_pending_list_limit = 16384)`);
  // Messages in time order across all conversations, as they would have arrived.
  const lastSeq = new Array<number>(options.conversations).fill(0);
  const firstCreatedAt = new Date(Date.now() - HISTORY_DAYS * DAY_MS);
  const step = (HISTORY_DAYS * DAY_MS) / options.messages;
  for (let from = 0; from < options.messages; from += BATCH) {
    const count = Math.min(BATCH, options.messages - from);
    const columns = {
      conversation: new Array<string>(count),
      seq: new Array<number>(count),
      sender: new Array<string>(count),
      clientMsgId: new Array<string>(count),
      body: new Array<string>(count),
      createdAt: new Array<string>(count),
    };
    for (let k = 0; k < count; k++) {
      // Busy and quiet conversations: the square skews traffic towards the low indexes.
      const index = Math.floor(random() ** 2 * options.conversations);
      const conversationMembers = members[index] as string[];
      const searcherIn = index % options.searcherEvery === 0;
      lastSeq[index] = (lastSeq[index] ?? 0) + 1;
      columns.conversation[k] = conversationIds[index] as string;
      columns.seq[k] = lastSeq[index];
      columns.sender[k] =
        searcherIn && random() < 0.2
          ? searcherId
          : (conversationMembers[Math.floor(random() * conversationMembers.length)] as string);
      columns.clientMsgId[k] = `bench-${from + k}`;
      columns.body[k] = text();
      columns.createdAt[k] = new Date(firstCreatedAt.getTime() + (from + k) * step).toISOString();
    }
    await db.query(
      `insert into messages (conversation_id, seq, sender_id, client_msg_id, body, created_at)
       select * from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])`,
      [
        columns.conversation,
        columns.seq,
        columns.sender,
        columns.clientMsgId,
        columns.body,
        columns.createdAt,
      ],
    );
    options.onProgress(from + count);
  }
  await db.query(
    `update conversations c set last_seq = x.last_seq, updated_at = x.updated_at
     from (select conversation_id, max(seq) as last_seq, max(created_at) as updated_at from messages
           group by conversation_id) x
     where c.id = x.conversation_id`,
  );
  await db.query(
    'update conversation_members m set last_read_seq = c.last_seq from conversations c where c.id = m.conversation_id',
  );
  for (const { name, options } of ginIndexes)
    await db.query(`alter index ${name} set (${options.join(', ')})`);
  // What autovacuum does to a table in use: flushes the pending lists, maps visible pages, gathers statistics.
  await db.query('vacuum analyze');
  return {
    searcherId,
    searcherConversationIds,
    lastCreatedAt: new Date(firstCreatedAt.getTime() + (options.messages - 1) * step),
  };
}
