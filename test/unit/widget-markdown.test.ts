import { describe, expect, it } from 'vitest';
import {
  type Block,
  type Inline,
  ORDER_REFERENCE,
  parseMarkdown,
  referencePattern,
  safeUrl,
} from '../../src/widget/markdown.ts';

const text = (value: string): Inline => ({ type: 'text', text: value });
const paragraph = (...children: Inline[]): Block => ({ type: 'paragraph', children });
const external = (href: string, label: string): Inline => ({
  type: 'link',
  href,
  external: true,
  children: [text(label)],
});

/** Every link in a parsed message, however deep. */
function links(blocks: Block[]): Extract<Inline, { type: 'link' }>[] {
  const found: Extract<Inline, { type: 'link' }>[] = [];
  const visit = (nodes: Inline[]) => {
    for (const node of nodes) {
      if (node.type === 'link') found.push(node);
      if ('children' in node) visit(node.children);
    }
  };
  for (const block of blocks) {
    if (block.type === 'paragraph') visit(block.children);
    if (block.type === 'list') for (const item of block.items) visit(item);
  }
  return found;
}

/** The text a reader sees, with the markup removed. */
function plainText(blocks: Block[]): string {
  const inline = (nodes: Inline[]): string =>
    nodes
      .map((node) => (node.type === 'break' ? '\n' : 'children' in node ? inline(node.children) : node.text))
      .join('');
  return blocks
    .map((block) =>
      block.type === 'code'
        ? block.text
        : block.type === 'list'
          ? block.items.map(inline).join('\n')
          : inline(block.children),
    )
    .join('\n\n');
}

describe('widget markdown', () => {
  it('turns plain text into one paragraph with line breaks', () => {
    expect(parseMarkdown('Hello\nworld')).toEqual([
      paragraph(text('Hello'), { type: 'break' }, text('world')),
    ]);
  });

  it('separates paragraphs at blank lines', () => {
    expect(parseMarkdown('one\n\n\ntwo')).toEqual([paragraph(text('one')), paragraph(text('two'))]);
  });

  it('parses bold, italic and inline code, nested where it makes sense', () => {
    expect(parseMarkdown('**bold** *it* _also_ `a *b* c` **a *b***')).toEqual([
      paragraph(
        { type: 'bold', children: [text('bold')] },
        text(' '),
        { type: 'italic', children: [text('it')] },
        text(' '),
        { type: 'italic', children: [text('also')] },
        text(' '),
        { type: 'code', text: 'a *b* c' },
        text(' '),
        { type: 'bold', children: [text('a '), { type: 'italic', children: [text('b')] }] },
      ),
    ]);
  });

  it('leaves arithmetic, snake_case and unclosed markers alone', () => {
    const source = '2 * 3 * 4 and snake_case_name and **open and `tick';
    expect(parseMarkdown(source)).toEqual([paragraph(text(source))]);
  });

  it('parses fenced code blocks verbatim, markup and HTML included', () => {
    expect(parseMarkdown('before\n```js\nconst a = "<b>**x**</b>";\n```\nafter')).toEqual([
      paragraph(text('before')),
      { type: 'code', text: 'const a = "<b>**x**</b>";' },
      paragraph(text('after')),
    ]);
  });

  it('keeps an unclosed code fence to the end of the message', () => {
    expect(parseMarkdown('```\nline 1\nline 2')).toEqual([{ type: 'code', text: 'line 1\nline 2' }]);
  });

  it('parses bullet and numbered lists', () => {
    expect(parseMarkdown('- one\n* **two**\n\n3. three\n4) four')).toEqual([
      {
        type: 'list',
        ordered: false,
        start: 1,
        items: [[text('one')], [{ type: 'bold', children: [text('two')] }]],
      },
      { type: 'list', ordered: true, start: 3, items: [[text('three')], [text('four')]] },
    ]);
  });

  it('links bare http, https and mailto URLs, without trailing punctuation', () => {
    expect(
      parseMarkdown('See https://example.com/a?b=1, then (http://x.io/path) or mailto:ana@axiom.example.'),
    ).toEqual([
      paragraph(
        text('See '),
        external('https://example.com/a?b=1', 'https://example.com/a?b=1'),
        text(', then ('),
        external('http://x.io/path', 'http://x.io/path'),
        text(') or '),
        external('mailto:ana@axiom.example', 'mailto:ana@axiom.example'),
        text('.'),
      ),
    ]);
  });

  it('links [text](url) with markup in the text but no link inside a link', () => {
    expect(parseMarkdown('[**the** docs https://b.example](https://a.example/docs)')).toEqual([
      paragraph({
        type: 'link',
        href: 'https://a.example/docs',
        external: true,
        children: [{ type: 'bold', children: [text('the')] }, text(' docs https://b.example')],
      }),
    ]);
  });

  it('makes record references that open their thread, with the host page when a URL is configured', () => {
    const order = (id: string, text: string) => ({
      type: 'record' as const,
      recordType: 'order',
      id,
      href: `https://dash.example/orders/${id}`,
      text,
    });
    const options = {
      references: [{ type: 'order', pattern: referencePattern(ORDER_REFERENCE), url: '/orders/{id}' }],
      baseUrl: 'https://dash.example/home',
      canOpen: () => true,
    };
    expect(parseMarkdown('Is #1234 in order 77 or Order #5? Not abc#9.', options)).toEqual([
      paragraph(
        text('Is '),
        order('1234', '#1234'),
        text(' in '),
        order('77', 'order 77'),
        text(' or '),
        order('5', 'Order #5'),
        text('? Not abc#9.'),
      ),
    ]);
    expect(parseMarkdown('order #1234')).toEqual([paragraph(text('order #1234'))]);
  });

  it('recognises the host own reference patterns, with or without a page to link', () => {
    const options = {
      references: [
        { type: 'po', pattern: referencePattern('PO-(\\d+)'), linkUnknown: true },
        { type: 'sku', pattern: referencePattern('(SKU-[A-Z]{2}-\\d{2})'), linkUnknown: true },
      ],
    };
    expect(parseMarkdown('PO-881 needs SKU-AB-12, not XPO-1 or SKU-AB-123', options)).toEqual([
      paragraph(
        { type: 'record', recordType: 'po', id: '881', href: null, text: 'PO-881' },
        text(' needs '),
        { type: 'record', recordType: 'sku', id: 'SKU-AB-12', href: null, text: 'SKU-AB-12' },
        text(', not XPO-1 or SKU-AB-123'),
      ),
    ]);
    expect(() => referencePattern('PO-\\d+')).toThrow(/one capture group/);
  });

  it('never links a record page that is not http or https', () => {
    const options = {
      references: [
        { type: 'order', pattern: referencePattern(ORDER_REFERENCE), url: 'javascript:alert({id})' },
      ],
      baseUrl: 'https://dash.example/',
      canOpen: () => true,
    };
    expect(parseMarkdown('#1234', options)).toEqual([
      paragraph({ type: 'record', recordType: 'order', id: '1234', href: null, text: '#1234' }),
    ]);
  });

  it('links a reference only to a record the user can open: "step #3" stays text beside order #1234', () => {
    const asked: string[] = [];
    const options = {
      references: [{ type: 'order', pattern: referencePattern(ORDER_REFERENCE), url: '/orders/{id}' }],
      baseUrl: 'https://dash.example/',
      canOpen: (type: string, id: string) => {
        asked.push(`${type}:${id}`);
        return type === 'order' && id === '1234';
      },
    };
    expect(parseMarkdown('Did step #3 of order #1234 go out? See #2.', options)).toEqual([
      paragraph(
        text('Did step #3 of '),
        {
          type: 'record',
          recordType: 'order',
          id: '1234',
          href: 'https://dash.example/orders/1234',
          text: 'order #1234',
        },
        text(' go out? See #2.'),
      ),
    ]);
    expect(asked).toEqual(['order:3', 'order:1234', 'order:2']);
    // Without anything the user can open, no reference links, whatever the host's page would be.
    const { canOpen: _, ...unknowing } = options;
    expect(parseMarkdown('order #1234', unknowing)).toEqual([paragraph(text('order #1234'))]);
  });

  it('tries the next pattern when the first names a record the user cannot open', () => {
    const options = {
      references: [
        { type: 'order', pattern: referencePattern('#(\\d+)') },
        { type: 'ticket', pattern: referencePattern('#(\\d+)') },
      ],
      canOpen: (type: string) => type === 'ticket',
    };
    expect(parseMarkdown('#42', options)).toEqual([
      paragraph({ type: 'record', recordType: 'ticket', id: '42', href: null, text: '#42' }),
    ]);
  });

  describe('hostile input comes out as plain text', () => {
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      '<a href="javascript:alert(1)">x</a>',
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#60;b&#62;',
      '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
      '"><svg/onload=alert(1)>',
    ];
    for (const payload of payloads) {
      it(`shows ${payload} exactly as typed`, () => {
        const blocks = parseMarkdown(payload);
        expect(plainText(blocks)).toBe(payload);
        expect(links(blocks)).toEqual([]);
      });
    }
  });

  describe('unsafe link targets are refused', () => {
    const sources = [
      '[x](javascript:alert(1))',
      '[x](javascript:alert)',
      '[x](JaVaScRiPt:alert)',
      '[x](java%0ascript:alert)',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[x](vbscript:msgbox)',
      '[x](//evil.example/path)',
      '[x](/relative/path)',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
    ];
    for (const source of sources) {
      it(`does not link ${source}`, () => {
        const blocks = parseMarkdown(source);
        expect(links(blocks)).toEqual([]);
        expect(plainText(blocks)).toBe(source);
      });
    }
  });

  it('accepts only absolute http, https and mailto URLs', () => {
    expect(safeUrl('https://a.example/x y')).toBe('https://a.example/x%20y');
    expect(safeUrl('HTTP://A.example')).toBe('http://a.example/');
    expect(safeUrl('mailto:a@b.example')).toBe('mailto:a@b.example');
    expect(safeUrl('https://')).toBeNull();
    expect(safeUrl(' javascript:alert(1)')).toBeNull();
    expect(safeUrl('ftp://a.example')).toBeNull();
  });

  it('handles a long message of markers quickly', () => {
    const started = performance.now();
    parseMarkdown('*_`['.repeat(1000));
    expect(performance.now() - started).toBeLessThan(500);
  });
});
