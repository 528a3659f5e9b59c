// Full-text search SQL (docs/search.md): the planner's estimates of a search, and the two ways of ranking
// its matches: all of them exactly, or the newest a window at a time.
import type { ConversationKind } from '../../protocol/models.ts';
import type { Database, Sql } from './db.ts';

/** Recency halves a message's score after this many seconds (30 days), a third after twice that. */
const RECENCY_SCALE_SECONDS = 30 * 86_400;
/** The lexeme migration 006 adds to messages with a link; no query text can produce it (it has a space). */
const LINK_LEXEME = `'has link'`;
/** What ranking and snippets need of a hit; the message itself is read in its current state after. */
const hitColumns = 'm.id, m.conversation_id, m.sender_id, m.body, m.created_at';

/** How a query matches a message, as tsquery texts PostgreSQL produced and LIKE patterns. */
export interface SearchMatch {
  /** Every hit satisfies it: the clauses of words and phrases. */
  required: string | null;
  /** No hit satisfies it: the excluded words and phrases. */
  excluded: string | null;
  /** Clauses with identifiers; each must hold through one of its alternatives. */
  identifierClauses: { patterns: string[]; queries: string[] }[];
  /** No hit's body contains one of these (LIKE patterns, wildcards escaped). */
  excludedPatterns: string[];
  /** Every positive term or-ed: what relevance is measured against; null when there is none. */
  rank: string | null;
}

export interface SearchFilters {
  senderId?: string | undefined;
  from?: Date | undefined;
  /** Exclusive. */
  to?: Date | undefined;
  hasLink?: boolean | undefined;
}

export interface SearchRequest {
  userId: string;
  /** The conversations searched: the user's, narrowed by the conversation or record filter. */
  conversationIds: string[];
  match: SearchMatch;
  filters: SearchFilters;
  /** Messages created later are left out, and recency is measured from here, so pages stay consistent. */
  asOf: Date;
  /** Only hits ranked after this one (the previous page's last). */
  after: { rank: number; id: number } | null;
  limit: number;
}

export interface SearchRow {
  id: number;
  conversation_id: string;
  sender_id: string;
  body: string;
  created_at: Date;
  rank: number;
  conversation_kind: ConversationKind;
  conversation_name: string | null;
  sender_name: string;
  record_type: string | null;
  record_id: string | null;
  record_title: string | null;
}

/** Collects parameters while a statement is assembled from fixed fragments; values never enter the text. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

type ConditionGroup = 'live' | 'time' | 'period' | 'member' | 'overlap' | 'indexed' | 'rest';

/**
 * The conditions every hit meets, in groups by what can serve them: `live` (not deleted, which the partial
 * indexes hold, and not a change, which has no text), `time` the (created_at, id) index, `indexed` the GIN and sender indexes, `rest` only rows
 * once read. `period` is `time` written so that no index serves it. Membership comes in two forms, of
 * which a statement takes one (the planner would count both): `member`, a hashed test the conversation
 * index can also serve, or `overlap`, the form the GIN indexes serve (their first key is
 * `array[conversation_id]`).
 * Parameters are added only for the groups asked for, so each statement binds exactly what it uses.
 */
function conditions(request: SearchRequest, params: Params, groups: ConditionGroup[]): string[] {
  const { match, filters } = request;
  const ids = () => params.add(request.conversationIds);
  const time = () => [
    `m.created_at <= ${params.add(request.asOf)}`,
    ...(filters.from ? [`m.created_at >= ${params.add(filters.from)}`] : []),
    ...(filters.to ? [`m.created_at < ${params.add(filters.to)}`] : []),
  ];
  const build: Record<ConditionGroup, () => string[]> = {
    live: () => ['m.deleted_at is null', "m.kind <> 'change'"],
    time,
    period: () => [`(${time().join(' and ')}) is true`],
    member: () => [`m.conversation_id = any(${ids()}::text[])`],
    overlap: () => [`array[m.conversation_id] && ${ids()}::text[]`],
    indexed: () => {
      const where: string[] = [];
      if (filters.senderId !== undefined) where.push(`m.sender_id = ${params.add(filters.senderId)}`);
      const required = [match.required, filters.hasLink === true ? LINK_LEXEME : null].filter(Boolean);
      if (required.length > 0) {
        where.push(`m.search_vector @@ ${params.add(required.map((q) => `(${q})`).join(' & '))}::tsquery`);
      }
      for (const clause of match.identifierClauses) {
        const alternatives = [
          ...clause.patterns.map((pattern) => `m.body ilike ${params.add(pattern)}`),
          ...clause.queries.map((query) => `m.search_vector @@ ${params.add(query)}::tsquery`),
        ];
        where.push(`(${alternatives.join(' or ')})`);
      }
      return where;
    },
    rest: () => {
      const where: string[] = [];
      const excluded = [match.excluded, filters.hasLink === false ? LINK_LEXEME : null].filter(Boolean);
      if (excluded.length > 0) {
        where.push(
          `not (m.search_vector @@ ${params.add(excluded.map((q) => `(${q})`).join(' | '))}::tsquery)`,
        );
      }
      for (const pattern of match.excludedPatterns) where.push(`m.body not ilike ${params.add(pattern)}`);
      return where;
    },
  };
  return groups.flatMap((group) => build[group]());
}

/** Relevance (ts_rank, normalised by log length) divided by 1 + age / 30 days; see docs/search.md. */
function scoreOf(request: SearchRequest, params: Params): string {
  const relevance = request.match.rank
    ? `ts_rank(m.search_vector, ${params.add(request.match.rank)}::tsquery, 1)::float8`
    : '0::float8';
  const age = `greatest(0, extract(epoch from ${params.add(request.asOf)}::timestamptz - m.created_at))::float8`;
  return `${relevance} / (1 + ${age} / ${RECENCY_SCALE_SECONDS})`;
}

/** Orders and limits scored hits, then re-checks membership and adds what a hit shows about its thread. */
function pageOf(request: SearchRequest, params: Params, hits: string): string {
  const after = request.after
    ? `where (h.rank, h.id) < (${params.add(request.after.rank)}::float8, ${params.add(request.after.id)}::int8)`
    : '';
  return `select h.*, c.kind as conversation_kind, c.name as conversation_name, u.display_name as sender_name,
      r.type as record_type, r.id as record_id, r.title as record_title
    from (select * from ${hits} h ${after} order by h.rank desc, h.id desc limit ${params.add(request.limit)}) h
    join conversation_members cm on cm.conversation_id = h.conversation_id and cm.user_id = ${params.add(request.userId)}
    join conversations c on c.id = h.conversation_id
    join users u on u.id = h.sender_id
    left join records r on r.conversation_id = coalesce(c.parent_id, c.id)
    order by h.rank desc, h.id desc`;
}

function allMatchesStatement(request: SearchRequest): { text: string; params: Params } {
  const params = new Params();
  // Only the GIN indexes are to narrow (see searchAllMatches), but for a sender: a sender's messages are
  // few, and the sender and conversation indexes narrow to them more cheaply than the GIN key of
  // conversations, whose cost the planner underrates and would add on top (25 ms instead of 60).
  const membership = request.filters.senderId === undefined ? 'overlap' : 'member';
  const where = conditions(request, params, ['live', 'period', membership, 'indexed', 'rest']);
  const hits = `(select ${hitColumns}, ${scoreOf(request, params)} as rank
    from messages m where ${where.join(' and ')})`;
  return { text: pageOf(request, params, hits), params };
}

/**
 * The planner's estimates that decide how a search ranks (docs/search.md): `indexed`, the entries the
 * indexes go through to rank every match (the GIN indexes do not narrow by time); `matches`, with every
 * condition; `inRange`, the searched conversations' messages in the time range, which newest-first
 * reading goes through.
 */
export type SearchEstimate = 'indexed' | 'matches' | 'inRange';

// Membership as `= any`: the planner estimates it from the column's statistics, the overlap only roughly.
const estimateGroups: Record<SearchEstimate, ConditionGroup[]> = {
  indexed: ['member', 'indexed'],
  matches: ['live', 'time', 'member', 'indexed', 'rest'],
  inRange: ['live', 'time', 'member'],
};

export async function estimateRows(
  sql: Sql,
  request: SearchRequest,
  estimate: SearchEstimate,
): Promise<number> {
  const params = new Params();
  const where = conditions(request, params, estimateGroups[estimate]);
  const [row] = await sql.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
    `explain (format json) select 1 from messages m where ${where.join(' and ')}`,
    params.values,
  );
  return row?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? Number.POSITIVE_INFINITY;
}

/**
 * Ranks every match: exact, for queries whose matches in the scope are few enough to score them all. The
 * indexes then narrow to a few rows, yet the planner prices the GIN key of a few hundred conversations
 * above reading a table of some 100,000 messages whole (sequentially, or through another index), and
 * then compares every row with every conversation: 100 to 400 ms instead of 10 to 20. So only bitmap
 * scans are allowed, and the dates are written as filters: no index but the GIN ones (and the sender's)
 * can serve the statement.
 */
export async function searchAllMatches(db: Database, request: SearchRequest): Promise<SearchRow[]> {
  const { text, params } = allMatchesStatement(request);
  return db.transaction(async (tx) => {
    await tx.query('set local enable_seqscan = off');
    await tx.query('set local enable_indexscan = off');
    return tx.query<SearchRow>(text, params.values);
  });
}

/** A position in the newest-first order: a message's created_at (in microseconds) and id. */
export type TimeKey = [microseconds: number, id: number];

export interface RecentWindow {
  /** Only messages before this key; null for the newest. */
  before: TimeKey | null;
  /** At most this many of the searched conversations' messages are read, however rare the matches are. */
  span: number;
  /** At most this many matches, the newest. */
  size: number;
}

export interface RecentWindowResult {
  rows: SearchRow[];
  /** Matches in the window. */
  windowSize: number;
  /** Where the next window starts: the oldest match of a full window, else the last message read. */
  next: TimeKey | null;
}

const microsecondsOf = (column: string) => `(extract(epoch from ${column}) * 1000000)::int8`;

/**
 * Ranks the newest matches of a window, for queries matching so many messages that scoring them all would
 * be slow. The span of the scope's newest messages comes from the (created_at, id) index alone, which
 * carries conversation_id, so other conversations' messages cost an index entry and no table read; only
 * the span's rows are then read and matched, newest first, until the window is full.
 */
export async function searchRecentMatches(
  sql: Sql,
  request: SearchRequest,
  window: RecentWindow,
): Promise<RecentWindowResult> {
  const params = new Params();
  const where = conditions(request, params, ['live', 'time', 'member']);
  if (window.before) {
    const [microseconds, id] = window.before;
    where.push(
      `(m.created_at, m.id) < (timestamptz 'epoch' + ${params.add(microseconds)}::int8 * interval '1 microsecond', ${params.add(id)}::int8)`,
    );
  }
  const match = conditions(request, params, ['indexed', 'rest']);
  const size = params.add(window.size);
  const hits = `(select ${hitColumns}, ${scoreOf(request, params)} as rank from candidates m)`;
  const spanOf = `select m.id, m.created_at from messages m where ${where.join(' and ')}
    order by m.created_at desc, m.id desc limit ${params.add(window.span)}`;
  const found = await sql.query<
    SearchRow & {
      window_size: number;
      span_size: number | null;
      oldest_at: number | null;
      oldest_id: number | null;
      last_at: number | null;
      last_id: number | null;
    }
  >(
    // The span is written out where it is used, not as a CTE, so the planner knows it comes newest first:
    // the join then streams and stops at the window's size. Its count and last key are read (from the index
    // again) only when the window is not full.
    `with candidates as materialized (
       select m.* from (${spanOf}) s join messages m on m.id = s.id
       ${match.length > 0 ? `where ${match.join(' and ')}` : ''}
       order by s.created_at desc, s.id desc limit ${size}),
     window_facts as (select count(*)::int as window_size from candidates)
     select w.window_size,
       case when w.window_size < ${size} then (select count(*)::int from (${spanOf}) s) end as span_size,
       ${microsecondsOf('o.created_at')} as oldest_at, o.id as oldest_id,
       ${microsecondsOf('l.created_at')} as last_at, l.id as last_id, p.*
     from window_facts w
     left join lateral (select created_at, id from candidates where w.window_size = ${size}
       order by created_at, id limit 1) o on true
     left join lateral (select created_at, id from (${spanOf}) s where w.window_size < ${size}
       order by created_at, id limit 1) l on true
     left join lateral (${pageOf(request, params, hits)}) p on true`,
    params.values,
  );
  const [first] = found;
  const windowSize = first?.window_size ?? 0;
  const key = (at: number | null | undefined, id: number | null | undefined): TimeKey | null =>
    at === null || at === undefined || id === null || id === undefined ? null : [at, id];
  return {
    rows: first?.id === null || first?.id === undefined ? [] : found,
    windowSize,
    // A full window goes on after its oldest match; a full span after its last message; else all is read.
    next:
      windowSize === window.size
        ? key(first?.oldest_at, first?.oldest_id)
        : first?.span_size === window.span
          ? key(first?.last_at, first?.last_id)
          : null,
  };
}
