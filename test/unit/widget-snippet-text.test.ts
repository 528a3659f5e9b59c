import { describe, expect, it } from 'vitest';
import type { SnippetSegment } from '../../src/protocol/search.ts';
import { snippetText } from '../../src/widget/extras/snippet-text.ts';

const plain = (text: string): SnippetSegment => ({ text, highlight: false });
const hit = (text: string): SnippetSegment => ({ text, highlight: true });

describe('a search snippet as its message reads', () => {
  it('drops bold, italic and code markers around and beside a match, keeping the match marked', () => {
    expect(snippetText([plain('the **'), hit('urgent'), plain('** crate of `SKU-12` is _late_')])).toEqual([
      plain('the '),
      hit('urgent'),
      plain(' crate of SKU-12 is late'),
    ]);
  });

  it('marks a match inside a code span and shows a link by its label', () => {
    expect(
      snippetText([plain('run `'), hit('deploy'), plain('` then see [the runbook](https://x.example/r)')]),
    ).toEqual([plain('run '), hit('deploy'), plain(' then see the runbook')]);
  });

  it('drops code fences the server folded into the line, and their language tag', () => {
    expect(snippetText([plain('logs: ```js '), hit('timeout'), plain(' at 3s ``` done')])).toEqual([
      plain('logs: '),
      hit('timeout'),
      plain(' at 3s done'),
    ]);
  });

  it('leaves text that only looks like markup, a cut span and the ellipsis as they are', () => {
    const segments = [plain('… 2 * 3 * 4 in snake_case_names and **'), hit('cut')];
    expect(snippetText(segments)).toEqual(segments);
  });

  it('keeps the private characters it marks matches with out of the text', () => {
    expect(snippetText([plain('a\uE000b'), hit('c\uE001d')])).toEqual([plain('ab'), hit('cd')]);
  });
});
