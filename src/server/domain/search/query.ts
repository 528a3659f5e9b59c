// Reads a search box's text into terms: words, "quoted phrases", `or` between terms and `-excluded` terms,
// and tells identifiers (PO-1234, #1234, 1Z999AA10123456784) apart so they can be matched by any part.
import { ParleyError } from '../../../protocol/errors.ts';
import { maxSearchQueryLength, maxSearchTerms } from '../../../protocol/search.ts';

export interface SearchTerm {
  /** As typed (surrounding punctuation of an identifier removed); PostgreSQL turns it into lexemes. */
  text: string;
  phrase: boolean;
  /** Has a digit or starts with #, and 3+ letters or digits: matched as a substring of the body too. */
  identifier: boolean;
}

/** Terms joined by `or`; a query is the conjunction of its clauses. */
export interface SearchClause {
  negated: boolean;
  terms: SearchTerm[];
}

/** Trigrams need three characters; shorter identifiers are left to the text-search parser. */
const MIN_IDENTIFIER_CHARS = 3;

/**
 * Control characters (NUL included, which PostgreSQL text cannot hold) become spaces and lone surrogates
 * become U+FFFD, so any string the client sends is safe to pass on as a parameter.
 */
function normalizeQueryText(raw: string): string {
  return raw
    .toWellFormed()
    .replace(/\p{Cc}/gu, ' ')
    .trim();
}

function isIdentifier(token: string): boolean {
  const alphanumerics = token.replace(/[^\p{L}\p{N}]/gu, '').length;
  return alphanumerics >= MIN_IDENTIFIER_CHARS && (/\p{N}/u.test(token) || token.startsWith('#'));
}

/** Strips what surrounds an identifier in running text ("(PO-1234)," → "PO-1234"), keeping a leading #. */
function trimIdentifier(token: string): string {
  return token.replace(/^[^\p{L}\p{N}#]+|[^\p{L}\p{N}]+$/gu, '');
}

type Atom = { kind: 'term'; term: SearchTerm; negated: boolean } | { kind: 'or' };

function tokenize(text: string): Atom[] {
  const atoms: Atom[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text.charAt(i))) {
      i++;
      continue;
    }
    const negated = text.charAt(i) === '-' && i + 1 < text.length && !/\s/.test(text.charAt(i + 1));
    if (negated) i++;
    if (text.charAt(i) === '"') {
      // An unbalanced quote runs to the end of the query, as websearch_to_tsquery reads it.
      const close = text.indexOf('"', i + 1);
      const end = close === -1 ? text.length : close;
      const phrase = text.slice(i + 1, end).trim();
      if (phrase)
        atoms.push({ kind: 'term', negated, term: { text: phrase, phrase: true, identifier: false } });
      i = end + 1;
      continue;
    }
    const match = /^[^\s"]+/.exec(text.slice(i));
    const token = match?.[0] ?? '';
    i += token.length;
    if (!negated && token.toLowerCase() === 'or') {
      atoms.push({ kind: 'or' });
      continue;
    }
    const identifier = isIdentifier(token);
    const termText = identifier ? trimIdentifier(token) : token;
    if (termText) atoms.push({ kind: 'term', negated, term: { text: termText, phrase: false, identifier } });
  }
  return atoms;
}

/**
 * The clauses of a query. `or` binds two neighbouring terms into one clause ("invoice or refund overdue" is
 * (invoice or refund) and overdue); an excluded term is always a clause of its own, and an `or` next to it
 * is ignored. Refuses queries too long or with too many terms to run cheaply.
 */
export function parseSearchQuery(raw: string): SearchClause[] {
  const text = normalizeQueryText(raw);
  if (!text) throw new ParleyError('invalid_query', 'the search query is empty');
  if (text.length > maxSearchQueryLength) {
    throw new ParleyError(
      'invalid_query',
      `the search query is longer than ${maxSearchQueryLength} characters`,
    );
  }
  const clauses: SearchClause[] = [];
  let joinNext = false;
  for (const atom of tokenize(text)) {
    if (atom.kind === 'or') {
      joinNext = clauses.length > 0;
      continue;
    }
    const previous = clauses.at(-1);
    if (joinNext && previous && !previous.negated && !atom.negated) previous.terms.push(atom.term);
    else clauses.push({ negated: atom.negated, terms: [atom.term] });
    joinNext = false;
  }
  const termCount = clauses.reduce((sum, clause) => sum + clause.terms.length, 0);
  if (termCount > maxSearchTerms) {
    throw new ParleyError('invalid_query', `the search query has more than ${maxSearchTerms} terms`);
  }
  return clauses;
}
