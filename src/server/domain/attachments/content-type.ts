// What an upload is, decided from its bytes alone: the allow-list of types Parley stores, and the sniffing
// that admits text only when no browser could take it for a page (docs/attachments.md).
import { isUtf8 } from 'node:buffer';
import { fileTypeFromBuffer } from 'file-type';
import type { AttachmentKind } from '../../../protocol/attachments.ts';
import { ParleyError } from '../../../protocol/errors.ts';
import { isLegacyWorkbook } from './legacy-workbook.ts';

export interface DetectedContent {
  contentType: string;
  kind: AttachmentKind;
  /** The extensions the type is known by, the preferred first. */
  extensions: [string, ...string[]];
}

const image = (contentType: string, ...extensions: [string, ...string[]]): DetectedContent => ({
  contentType,
  kind: 'image',
  extensions,
});
const file = (contentType: string, ...extensions: [string, ...string[]]): DetectedContent => ({
  contentType,
  kind: 'file',
  extensions,
});

/** By the MIME type file-type reports. Everything else, SVG and HTML first of all, is refused. */
const allowed: Record<string, DetectedContent> = {
  'image/png': image('image/png', 'png'),
  // An animated PNG is stored as Parley re-encodes it: a still PNG.
  'image/apng': image('image/png', 'png'),
  'image/jpeg': image('image/jpeg', 'jpg', 'jpeg'),
  'image/gif': image('image/gif', 'gif'),
  'image/webp': image('image/webp', 'webp'),
  'application/pdf': file('application/pdf', 'pdf'),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': file(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'xlsx',
  ),
  'application/vnd.oasis.opendocument.spreadsheet': file(
    'application/vnd.oasis.opendocument.spreadsheet',
    'ods',
  ),
};
const legacyWorkbook = file('application/vnd.ms-excel', 'xls');
const csv = file('text/csv', 'csv');
const plainText = file('text/plain', 'txt', 'text', 'log', 'md');

/** How far into a text browsers (and their MIME sniffing) look for markup; Parley looks as far. */
const SNIFF_BYTES = 1024;
/**
 * The starts of an HTML, XML or SVG document (the WHATWG sniffing patterns and a few more), anywhere in
 * the first KB: a text that has one is refused rather than trusted to stay text everywhere it is opened.
 */
const MARKUP =
  /<(?:\?xml|!--|!doctype|(?:html|head|body|script|iframe|frame|frameset|svg|math|style|title|object|embed|img|a|b|p|br|h1|div|font|table|meta|link|base|form|template)[\s/>])/i;

function looksLikeMarkup(bytes: Buffer): boolean {
  return MARKUP.test(bytes.subarray(0, SNIFF_BYTES).toString('utf8'));
}

function notAllowed(): ParleyError {
  return new ParleyError(
    'attachment_type_not_allowed',
    'this kind of file is not allowed: images (PNG, JPEG, GIF, WebP), PDF, CSV, plain text and spreadsheets are',
  );
}

/**
 * The type of `bytes`, or `attachment_type_not_allowed`. The declared name chooses only between CSV and
 * plain text, two types served the same safe way; nothing the upload declares is otherwise believed.
 */
export async function detectContent(bytes: Buffer, declaredName: string): Promise<DetectedContent> {
  // A truncated or malformed container fails its parser: that is a file Parley does not recognise.
  const detected = await fileTypeFromBuffer(bytes).catch(() => {
    throw notAllowed();
  });
  if (detected?.mime === 'application/x-cfb') {
    if (isLegacyWorkbook(bytes)) return legacyWorkbook;
    throw notAllowed();
  }
  if (detected) {
    const content = allowed[detected.mime];
    if (!content) throw notAllowed();
    return content;
  }
  if (!isUtf8(bytes) || bytes.includes(0) || looksLikeMarkup(bytes)) throw notAllowed();
  return /\.csv$/i.test(declaredName.trim()) ? csv : plainText;
}
