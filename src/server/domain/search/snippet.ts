// Snippets: a window of a message's text around its first match, cut into plain-text segments with the
// matches marked. Segments are data, never markup, so a body full of HTML is shown as the text it is.
import type { SnippetSegment } from '../../../protocol/search.ts';

/** Characters shown around the first match; a shorter body is shown whole. */
const SNIPPET_LENGTH = 200;
/** How much of the window precedes the first match. */
const LEAD = 60;
/** Words of one body considered for highlighting; a match further in leaves the window at the start. */
const MAX_WORDS_PER_BODY = 2000;
const ELLIPSIS = '…';

const wordPattern = /[\p{L}\p{M}\p{N}_]+/gu;

/** The distinct lowercased words of a body, as candidates for "is this word a match?". */
export function wordsOf(body: string): string[] {
  const words = new Set<string>();
  for (const match of body.matchAll(wordPattern)) {
    if (words.size >= MAX_WORDS_PER_BODY) break;
    words.add(match[0].toLowerCase());
  }
  return [...words];
}

type Range = [start: number, end: number];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function matchRanges(
  body: string,
  matchedWords: ReadonlySet<string>,
  identifiers: readonly string[],
): Range[] {
  const ranges: Range[] = [];
  for (const match of body.matchAll(wordPattern)) {
    if (matchedWords.has(match[0].toLowerCase())) ranges.push([match.index, match.index + match[0].length]);
  }
  for (const identifier of identifiers) {
    for (const match of body.matchAll(new RegExp(escapeRegExp(identifier), 'giu'))) {
      ranges.push([match.index, match.index + match[0].length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/** Moves a cut to a nearby space so words stay whole, and never between the halves of a surrogate pair. */
function snap(body: string, index: number, direction: 1 | -1): number {
  const limit = 20;
  for (let step = 0; step < limit; step++) {
    const at = index + step * direction;
    if (at <= 0 || at >= body.length) return Math.min(Math.max(at, 0), body.length);
    if (/\s/.test(body.charAt(at))) return direction === 1 ? at + 1 : at;
  }
  const code = body.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}

function windowOf(body: string, first: Range | undefined): Range {
  if (body.length <= SNIPPET_LENGTH) return [0, body.length];
  const wanted = Math.min(Math.max(0, (first?.[0] ?? 0) - LEAD), body.length - SNIPPET_LENGTH);
  const start = wanted === 0 ? 0 : snap(body, wanted, 1);
  const end = start + SNIPPET_LENGTH >= body.length ? body.length : snap(body, start + SNIPPET_LENGTH, -1);
  return [start, Math.max(end, start)];
}

/**
 * The snippet of a body: words PostgreSQL read as query lexemes and case-insensitive occurrences of the
 * identifiers are highlighted. Whitespace runs are shown as one space.
 */
export function buildSnippet(
  body: string,
  matchedWords: ReadonlySet<string>,
  identifiers: readonly string[],
): SnippetSegment[] {
  const ranges = matchRanges(body, matchedWords, identifiers);
  const [start, end] = windowOf(body, ranges[0]);
  const segments: SnippetSegment[] = [];
  const push = (text: string, highlight: boolean) => {
    const shown = text.replace(/\s+/g, ' ');
    if (!shown) return;
    const last = segments.at(-1);
    if (last && last.highlight === highlight) last.text += shown;
    else segments.push({ text: shown, highlight });
  };
  if (start > 0) push(`${ELLIPSIS} `, false);
  let at = start;
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue;
    push(body.slice(at, Math.max(at, from)), false);
    push(body.slice(Math.max(from, start), Math.min(to, end)), true);
    at = Math.min(to, end);
  }
  push(body.slice(at, end), false);
  if (end < body.length) push(` ${ELLIPSIS}`, false);
  const first = segments[0];
  if (first) first.text = first.text.trimStart();
  const last = segments.at(-1);
  if (last) last.text = last.text.trimEnd();
  return segments.filter((segment) => segment.text !== '');
}
