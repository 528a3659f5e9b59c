// A search hit's snippet as its message reads: the server cuts its segments from the message's source, so
// markdown markers (`**`, backticks, `[label](url)`) would show; they are dropped here with the grammar the
// thread renders messages with, and the matches stay marked. Pure: no DOM.
import type { SnippetSegment } from '../../protocol/search.ts';
import { type Inline, parseInline } from '../markdown.ts';

// Private-use characters carry the highlights through the parser: markdown treats them as plain text.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKERS = /[\uE000\uE001]/g;
/** A code fence and its language tag: the server folds the fence's line break away, so it is inline here. */
const FENCE = /```[^\s`]*/g;

function textOf(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
        case 'record':
          return node.text;
        case 'break':
          return ' ';
        default:
          return textOf(node.children);
      }
    })
    .join('');
}

/** The segments with markdown syntax removed; highlighted words stay highlighted, text stays text. */
export function snippetText(segments: readonly SnippetSegment[]): SnippetSegment[] {
  const source = segments
    .map(({ text, highlight }) => {
      const clean = text.replace(MARKERS, '');
      return highlight ? `${OPEN}${clean}${CLOSE}` : clean;
    })
    .join('')
    .replace(FENCE, '')
    .replace(/ {2,}/g, ' ');
  const result: SnippetSegment[] = [];
  let highlight = false;
  for (const piece of textOf(parseInline(source, {}, false)).split(/([\uE000\uE001])/)) {
    if (piece === OPEN || piece === CLOSE) {
      highlight = piece === OPEN;
      continue;
    }
    if (!piece) continue;
    const last = result.at(-1);
    if (last && last.highlight === highlight) last.text += piece;
    else result.push({ text: piece, highlight });
  }
  return result;
}
