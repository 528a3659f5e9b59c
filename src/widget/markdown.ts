// The markdown subset messages may use, parsed to a tree that components render as elements: text is never
// HTML, and a link is made only for http, https and mailto URLs, and for references to host records
// (`#1234`, `order 1234`, or the host's own patterns) that the user can open, which open the record's thread.
// Pure: no DOM.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'break' }
  | { type: 'bold'; children: Inline[] }
  | { type: 'italic'; children: Inline[] }
  | { type: 'code'; text: string }
  /** `external` links open in a new tab. */
  | { type: 'link'; href: string; external: boolean; children: Inline[] }
  /** A host record named in the text: opens its thread; `href` is the record's page on the host, if known. */
  | { type: 'record'; recordType: string; id: string; href: string | null; text: string };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'list'; ordered: boolean; start: number; items: Inline[][] };

/** How the text names one type of host record, e.g. orders as `#1234` or `order 1234`. */
export interface RecordReference {
  /** The record type threads are opened with (`order`). */
  type: string;
  /** Matches a reference at a word start; its first group is the record id. */
  pattern: RegExp;
  /** The record's page on the host: a URL pattern with `{id}`, e.g. `/orders/{id}`. */
  url?: string | undefined;
  /**
   * Links every match, also records the user is not known to be able to open: for patterns specific enough
   * that a match is always a record (`PO-881`). Otherwise "step #3" would link an order that does not exist.
   */
  linkUnknown?: boolean | undefined;
}

/** Orders as the first user writes them: `#1234`, `order 1234`, `Order #1234`. */
export const ORDER_REFERENCE = '(?:#|order\\s+#?)(\\d{1,12})';

/** A reference pattern (a string from the host's configuration) anchored where the parser looks. */
export function referencePattern(source: string): RegExp {
  const pattern = new RegExp(`^(?:${source})(?![\\p{L}\\p{N}_])`, 'iu');
  if (new RegExp(`${pattern.source}|`, 'u').exec('')?.length !== 2) {
    throw new Error(`a record reference pattern needs exactly one capture group (the id): ${source}`);
  }
  return pattern;
}

export interface MarkdownOptions {
  /** Record references to recognise; none by default. */
  references?: readonly RecordReference[] | undefined;
  /** The page that relative record URLs are resolved against. */
  baseUrl?: string | undefined;
  /** Whether the user can open this record's thread; a reference to any other record stays text. */
  canOpen?: ((type: string, id: string) => boolean) | undefined;
}

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** `new URL` that answers null for text that is not a URL (a refusal, not an error, for a chat message). */
function parseUrl(raw: string, base?: string): URL | null {
  try {
    return new URL(raw, base);
  } catch {
    return null;
  }
}

/** The normalised URL when it is absolute and http, https or mailto; otherwise null (never linked). */
export function safeUrl(raw: string): string | null {
  if (!/^(https?:\/\/|mailto:)/i.test(raw)) return null;
  const url = parseUrl(raw);
  return url && SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/** The host page's URL for a record, or null when no safe one can be made. */
function recordHref(pattern: string | undefined, id: string, baseUrl: string | undefined): string | null {
  if (!pattern) return null;
  const url = parseUrl(pattern.replaceAll('{id}', encodeURIComponent(id)), baseUrl);
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
}

const FENCE = /^\s*```/;
const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;

export function parseMarkdown(source: string, options: MarkdownOptions = {}): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', children: parseLines(paragraph, options) });
    paragraph = [];
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (FENCE.test(line)) {
      endParagraph();
      const close = lines.findIndex((candidate, j) => j > i && FENCE.test(candidate));
      const end = close === -1 ? lines.length : close;
      blocks.push({ type: 'code', text: lines.slice(i + 1, end).join('\n') });
      i = end + 1;
      continue;
    }
    const item = BULLET.exec(line) ?? NUMBERED.exec(line);
    if (item) {
      endParagraph();
      i = parseList(lines, i, blocks, options);
      continue;
    }
    if (line.trim() === '') endParagraph();
    else paragraph.push(line);
    i += 1;
  }
  endParagraph();
  return blocks;
}

/** Consecutive items of one kind of list; returns the index of the first line after them. */
function parseList(lines: string[], from: number, blocks: Block[], options: MarkdownOptions): number {
  const ordered = !BULLET.test(lines[from] as string);
  const pattern = ordered ? NUMBERED : BULLET;
  const items: Inline[][] = [];
  let start = 1;
  let i = from;
  for (let match = pattern.exec(lines[i] ?? ''); match; match = pattern.exec(lines[i] ?? '')) {
    if (ordered && items.length === 0) start = Number(match[1]);
    items.push(parseInline(match[ordered ? 2 : 1] as string, options, false));
    i += 1;
  }
  blocks.push({ type: 'list', ordered, start, items });
  return i;
}

function parseLines(lines: string[], options: MarkdownOptions): Inline[] {
  return lines.flatMap((line, index) => {
    const inline = parseInline(line, options, false);
    return index === 0 ? inline : [{ type: 'break' } as const, ...inline];
  });
}

const AUTOLINK = /^(?:https?:\/\/|mailto:)[^\s<>"]+/i;
const LINK = /^\[([^\]\n]+)\]\(([^()\s]+)\)/;
const TRAILING_PUNCTUATION = /[.,;:!?'"]+$/;

/** Whether position `at` starts a word: references and autolinks never begin mid-word (`abc#12`). */
const atWordStart = (text: string, at: number) => at === 0 || !/[\p{L}\p{N}_]/u.test(text[at - 1] as string);

/**
 * Inline spans: `code`, **bold**, *italic* / _italic_, [text](url), bare URLs and record references.
 * Inside a link's text no further links are made.
 */
export function parseInline(text: string, options: MarkdownOptions, inLink: boolean): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const push = (node: Inline) => {
    if (plain) out.push({ type: 'text', text: plain });
    plain = '';
    out.push(node);
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const char = text[i] as string;
    // An underscore inside a word (`snake_case`) is not emphasis.
    const span = char === '_' && !atWordStart(text, i) ? null : delimited(rest, char);
    if (span) {
      if (span.kind === 'code') push({ type: 'code', text: span.inner });
      else push({ type: span.kind, children: parseInline(span.inner, options, inLink) });
      i += span.length;
      continue;
    }
    const link = inLink ? null : linkAt(text, i, options);
    if (link) {
      push(link.node);
      i += link.length;
      continue;
    }
    plain += char;
    i += 1;
  }
  if (plain) out.push({ type: 'text', text: plain });
  return out;
}

interface Span {
  kind: 'code' | 'bold' | 'italic';
  inner: string;
  length: number;
}

/** A `code`, **bold** or *italic* span starting at the beginning of `rest`, if it is closed. */
function delimited(rest: string, char: string): Span | null {
  if (char === '`') {
    const end = rest.indexOf('`', 1);
    return end > 1 ? { kind: 'code', inner: rest.slice(1, end), length: end + 1 } : null;
  }
  if (char !== '*' && char !== '_') return null;
  const marker = rest.startsWith(char.repeat(2)) ? char.repeat(2) : char;
  let end = rest.indexOf(marker, marker.length + 1);
  if (end === -1) return null;
  // In `**a *b***` the bold closes after the italic: a run of markers closes the outer span last.
  while (rest[end + marker.length] === char) end += 1;
  const inner = rest.slice(marker.length, end);
  // `2 * 3 * 4` and `snake_case_names` are not emphasis.
  if (/^\s|\s$/.test(inner)) return null;
  if (char === '_' && /[\p{L}\p{N}]/u.test(rest[end + marker.length] ?? '')) return null;
  return { kind: marker.length === 2 ? 'bold' : 'italic', inner, length: end + marker.length };
}

/** A [text](url) link, a bare URL or a record reference at `at`; refused URLs stay plain text. */
function linkAt(text: string, at: number, options: MarkdownOptions): { node: Inline; length: number } | null {
  const rest = text.slice(at);
  const labelled = LINK.exec(rest);
  if (labelled) {
    const href = safeUrl(labelled[2] as string);
    if (!href) return null;
    const children = parseInline(labelled[1] as string, options, true);
    return { node: { type: 'link', href, external: true, children }, length: labelled[0].length };
  }
  if (!atWordStart(text, at)) return null;
  const bare = AUTOLINK.exec(rest);
  if (bare) {
    const url = trimUrl(bare[0]);
    const href = safeUrl(url);
    if (!href) return null;
    return {
      node: { type: 'link', href, external: true, children: [{ type: 'text', text: url }] },
      length: url.length,
    };
  }
  for (const reference of options.references ?? []) {
    const match = reference.pattern.exec(rest);
    const id = match?.[1];
    if (!match || !id) continue;
    if (!reference.linkUnknown && !options.canOpen?.(reference.type, id)) continue;
    const href = recordHref(reference.url, id, options.baseUrl);
    return {
      node: { type: 'record', recordType: reference.type, id, href, text: match[0] },
      length: match[0].length,
    };
  }
  return null;
}

/** Drops sentence punctuation and an unbalanced closing parenthesis from the end of a bare URL. */
function trimUrl(url: string): string {
  let trimmed = url.replace(TRAILING_PUNCTUATION, '');
  while (trimmed.endsWith(')') && count(trimmed, '(') < count(trimmed, ')')) {
    trimmed = trimmed.slice(0, -1).replace(TRAILING_PUNCTUATION, '');
  }
  return trimmed;
}

const count = (text: string, char: string) => text.split(char).length - 1;
