// Search: the messages a user may read that match a query, best first by relevance and recency, a page at a
// time, each with a highlighted snippet. How it works and why: docs/search.md.
import type { Message, User } from '../../../protocol/models.ts';
import type { SearchHit, SearchQuery, SearchResponse } from '../../../protocol/search.ts';
import type { Database } from '../../store/db.ts';
import { findMessagesByIds } from '../../store/messages.ts';
import {
  estimateRows,
  type SearchMatch,
  type SearchRequest,
  type SearchRow,
  searchAllMatches,
  searchRecentMatches,
  type TimeKey,
} from '../../store/search.ts';
import { findMatchingWords, openSearch } from '../../store/search-scope.ts';
import {
  decodeCursor,
  encodeCursor,
  type RankingStrategy,
  type SearchCursor,
  searchFingerprint,
} from './cursor.ts';
import { parseSearchQuery, type SearchClause, type SearchTerm } from './query.ts';
import { buildSnippet, wordsOf } from './snippet.ts';

/** When every match is ranked and when only the newest ones are: measured in bench/search.ts. */
export interface SearchTuning {
  /** Up to this many rows read to rank every match (as the planner estimates them), every match is ranked… */
  exactRankingRows: number;
  /** …beyond it the newest matches are ranked this many at a time… */
  windowSize: number;
  /** …reading at most this many of the searched conversations' messages per window. */
  windowSpan: number;
  /** Ranks one way whatever the estimates say (tests). */
  strategy?: RankingStrategy;
}

export const defaultSearchTuning: SearchTuning = {
  exactRankingRows: 1000,
  windowSize: 100,
  windowSpan: 5000,
};
const WINDOWS_PER_PAGE = 3;
/** Roughly how much rarer a phrase is than its words anywhere in a message (bench/search.ts data: 1/10). */
const PHRASE_SELECTIVITY = 0.1;
/** Distinct words of one page's bodies looked up for highlighting. */
const MAX_HIGHLIGHT_WORDS = 5000;

interface CompiledQuery {
  match: SearchMatch;
  /** Lexemes of the positive terms: the words to highlight. */
  lexemes: string[];
  /** Positive identifiers, highlighted wherever they occur. */
  identifiers: string[];
}

/** What websearch_to_tsquery is given for a term: a phrase in quotes, a word without leading dashes. */
function websearchText(term: SearchTerm): string {
  return term.phrase ? `"${term.text}"` : term.text.replace(/^-+/, '');
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** The lexemes of a tsquery as PostgreSQL prints it ('it''s' & 'back\\slash'). */
function lexemesOf(tsquery: string): string[] {
  return [...tsquery.matchAll(/'((?:[^'\\]|''|\\.)*)'/g)].map((match) =>
    (match[1] ?? '').replace(/''/g, "'").replace(/\\(.)/g, '$1'),
  );
}

/**
 * Turns clauses and the tsquery PostgreSQL made of each term into the match conditions. Terms of stop
 * words or punctuation only drop out (as websearch_to_tsquery drops them); null when no positive term is
 * left, since a search with nothing to find (only stop words, only exclusions) finds nothing.
 */
function compileQuery(clauses: SearchClause[], termQueries: string[]): CompiledQuery | null {
  let index = 0;
  const required: string[] = [];
  const excluded: string[] = [];
  const match: SearchMatch = {
    required: null,
    excluded: null,
    identifierClauses: [],
    excludedPatterns: [],
    rank: null,
  };
  const ranked: string[] = [];
  const identifiers: string[] = [];
  for (const clause of clauses) {
    const alternatives = clause.terms.map((term) => ({ term, query: termQueries[index++] ?? '' }));
    const words = alternatives.filter((a) => !a.term.identifier && a.query !== '');
    const ids = alternatives.filter((a) => a.term.identifier);
    if (clause.negated) {
      for (const a of words) excluded.push(`(${a.query})`);
      for (const a of ids) match.excludedPatterns.push(likePattern(a.term.text));
      continue;
    }
    if (words.length + ids.length === 0) continue;
    ranked.push(...[...words, ...ids].map((a) => a.query).filter((query) => query !== ''));
    identifiers.push(...ids.map((a) => a.term.text));
    if (ids.length === 0) required.push(`(${words.map((a) => `(${a.query})`).join(' | ')})`);
    else
      match.identifierClauses.push({
        patterns: ids.map((a) => likePattern(a.term.text)),
        queries: words.map((a) => a.query),
      });
  }
  if (required.length + match.identifierClauses.length === 0) return null;
  match.required = required.length > 0 ? required.join(' & ') : null;
  match.excluded = excluded.length > 0 ? excluded.join(' | ') : null;
  match.rank = ranked.length > 0 ? ranked.map((query) => `(${query})`).join(' | ') : null;
  return { match, lexemes: [...new Set(ranked.flatMap(lexemesOf))], identifiers };
}

/** A day alone is a whole day in UTC: `from` its first instant, `to` (exclusive) the next day's. */
function instantOf(value: string | undefined, edge: 'start' | 'end'): Date | undefined {
  if (value === undefined) return undefined;
  if (value.includes('T')) return new Date(value);
  const day = new Date(`${value}T00:00:00Z`);
  if (edge === 'end') day.setUTCDate(day.getUTCDate() + 1);
  return day;
}

interface RankedPage {
  rows: SearchRow[];
  next: SearchCursor | null;
}

const keyOf = (row: SearchRow | undefined) => (row ? { rank: row.rank, id: row.id } : null);

export interface SearchDeps {
  db: Database;
  tuning?: SearchTuning;
}

export function createSearch({ db, tuning = defaultSearchTuning }: SearchDeps) {
  async function rankAll(request: SearchRequest): Promise<RankedPage> {
    const rows = await searchAllMatches(db, { ...request, limit: request.limit + 1 });
    const page = rows.slice(0, request.limit);
    const next =
      rows.length > request.limit
        ? { asOf: request.asOf, strategy: 'all' as const, after: keyOf(page.at(-1)), before: null }
        : null;
    return { rows: page, next };
  }

  /**
   * Windows of the newest matches, each ranked on its own, newest window first. A page that empties a
   * window goes on with the next, up to a few windows per request, so a request's work stays bounded.
   */
  async function rankRecent(request: SearchRequest, start: TimeKey | null): Promise<RankedPage> {
    const rows: SearchRow[] = [];
    let before = start;
    let after = request.after;
    for (let round = 0; round < WINDOWS_PER_PAGE && rows.length < request.limit; round++) {
      const wanted = request.limit - rows.length;
      const window = await searchRecentMatches(
        db,
        { ...request, after, limit: wanted + 1 },
        { before, span: tuning.windowSpan, size: tuning.windowSize },
      );
      if (window.rows.length > wanted) {
        rows.push(...window.rows.slice(0, wanted));
        return { rows, next: { asOf: request.asOf, strategy: 'recent', after: keyOf(rows.at(-1)), before } };
      }
      rows.push(...window.rows);
      if (window.next === null) return { rows, next: null };
      before = window.next;
      after = null;
    }
    return { rows, next: { asOf: request.asOf, strategy: 'recent', after: null, before } };
  }

  /**
   * Ranks every match when the indexes narrow the rows to read enough; otherwise the newest matches a
   * window at a time, if a window's span of messages is expected to fill a page. When it is not (matches
   * too sparse in time), ranking every match is still the cheaper of the two.
   */
  async function chooseStrategy(request: SearchRequest, readableMessages: number): Promise<RankingStrategy> {
    if (tuning.strategy) return tuning.strategy;
    if (readableMessages <= tuning.exactRankingRows) return 'all';
    if ((await estimateRows(db, request, 'indexed')) <= tuning.exactRankingRows) return 'all';
    // The planner counts a phrase as its words anywhere in a message; next to each other they are rarer.
    const adjacency = request.match.required?.includes('<->') ? PHRASE_SELECTIVITY : 1;
    const matches = (await estimateRows(db, request, 'matches')) * adjacency;
    const inRange = await estimateRows(db, request, 'inRange');
    return (matches * tuning.windowSpan) / Math.max(inRange, 1) > request.limit ? 'recent' : 'all';
  }

  async function toHits(rows: SearchRow[], query: CompiledQuery): Promise<SearchHit[]> {
    const words = [...new Set(rows.flatMap((row) => wordsOf(row.body)))].slice(0, MAX_HIGHLIGHT_WORDS);
    const [matched, messages] = await Promise.all([
      findMatchingWords(db, words, query.lexemes),
      rows.length > 0
        ? findMessagesByIds(
            db,
            rows.map((row) => row.id),
          )
        : new Map<string, Message>(),
    ]);
    // A hit deleted since it was ranked is left out rather than shown with its old text.
    return rows.flatMap((row) => {
      const message = messages.get(String(row.id));
      if (!message || message.deletedAt !== null) return [];
      return [
        {
          message,
          conversation: {
            id: row.conversation_id,
            kind: row.conversation_kind,
            name: row.conversation_name,
            record:
              row.record_type === null || row.record_id === null || row.record_title === null
                ? null
                : { type: row.record_type, id: row.record_id, title: row.record_title },
          },
          sender: { id: row.sender_id, displayName: row.sender_name },
          snippet: buildSnippet(row.body, matched, query.identifiers),
          rank: row.rank,
        },
      ];
    });
  }

  return {
    /** Refuses an unusable query with `invalid_query` and a foreign cursor with `invalid_payload`. */
    async search(actor: User, query: SearchQuery): Promise<SearchResponse> {
      const clauses = parseSearchQuery(query.q);
      const { conversationId, senderId, recordType, recordId, from, to, hasLink } = query;
      const fingerprint = searchFingerprint([
        clauses,
        conversationId,
        senderId,
        recordType,
        recordId,
        from,
        to,
        hasLink,
      ]);
      const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, fingerprint);
      const scope = await openSearch(db, {
        userId: actor.id,
        conversationId,
        record:
          recordType !== undefined && recordId !== undefined ? { type: recordType, id: recordId } : undefined,
        terms: clauses.flatMap((clause) => clause.terms.map(websearchText)),
      });
      const compiled = compileQuery(clauses, scope.termQueries);
      if (!compiled || scope.conversationIds.length === 0) return { hits: [], nextCursor: null };
      const request: SearchRequest = {
        userId: actor.id,
        conversationIds: scope.conversationIds,
        match: compiled.match,
        filters: { senderId, from: instantOf(from, 'start'), to: instantOf(to, 'end'), hasLink },
        asOf: cursor?.asOf ?? scope.asOf,
        after: cursor?.after ?? null,
        limit: query.limit,
      };
      const strategy = cursor?.strategy ?? (await chooseStrategy(request, scope.readableMessages));
      const page =
        strategy === 'all' ? await rankAll(request) : await rankRecent(request, cursor?.before ?? null);
      return {
        hits: await toHits(page.rows, compiled),
        nextCursor: page.next ? encodeCursor(page.next, fingerprint) : null,
      };
    },
  };
}

export type Search = ReturnType<typeof createSearch>;
