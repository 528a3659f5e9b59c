// What a search needs around its ranking (docs/search.md): before, the conversations the user may read and
// each term as PostgreSQL's parser reads it; after, which words of the hits to highlight.
import type { Sql } from './db.ts';

/** The text-search configuration of `messages.search_vector` (migration 006); queries must use the same. */
const CONFIG = `'english'::regconfig`;

export interface SearchScope {
  conversationIds: string[];
  /** Messages in those conversations (deleted ones included): an upper bound of what a search reads. */
  readableMessages: number;
  asOf: Date;
  /** websearch_to_tsquery of each term, in order; '' for a term of stop words or punctuation only. */
  termQueries: string[];
}

/**
 * Everything a search needs before it runs, in one round trip: the conversations the user may read now
 * (narrowed by the conversation or record filter; a record's notes have the record thread as parent),
 * the time the search is as of, and each term as PostgreSQL's parser reads it.
 */
export async function openSearch(
  sql: Sql,
  request: {
    userId: string;
    conversationId?: string | undefined;
    record?: { type: string; id: string } | undefined;
    terms: string[];
  },
): Promise<SearchScope> {
  const [row] = await sql.query<{
    ids: string[];
    readable: number;
    as_of: Date;
    term_queries: string[];
  }>(
    `select scope.ids, scope.readable, date_trunc('milliseconds', now()) as as_of,
       (select coalesce(array_agg(websearch_to_tsquery(${CONFIG}, t)::text order by n), '{}')
        from unnest($5::text[]) with ordinality as term(t, n)) as term_queries
     from (
       select coalesce(array_agg(c.id order by c.id), '{}') as ids, coalesce(sum(c.last_seq), 0)::int8 as readable
       from conversation_members cm join conversations c on c.id = cm.conversation_id
       where cm.user_id = $1 and ($2::text is null or c.id = $2)
         and ($3::text is null or exists (
           select 1 from records r where r.type = $3 and r.id = $4 and r.conversation_id in (c.id, c.parent_id)))
     ) scope`,
    [
      request.userId,
      request.conversationId ?? null,
      request.record?.type ?? null,
      request.record?.id ?? null,
      request.terms,
    ],
  );
  if (!row) throw new Error('the search scope query returned no row');
  return {
    conversationIds: row.ids,
    readableMessages: row.readable,
    asOf: row.as_of,
    termQueries: row.term_queries,
  };
}

/** Which of these words (lowercased) PostgreSQL reads as one of the lexemes: the words to highlight. */
export async function findMatchingWords(
  sql: Sql,
  words: readonly string[],
  lexemes: readonly string[],
): Promise<Set<string>> {
  if (words.length === 0 || lexemes.length === 0) return new Set();
  const rows = await sql.query<{ word: string }>(
    `select w as word from unnest($1::text[]) as w
     where tsvector_to_array(to_tsvector(${CONFIG}, w)) && $2::text[]`,
    [words, lexemes],
  );
  return new Set(rows.map((row) => row.word));
}
