// The record dossier as one self-contained, printable HTML page (print it to PDF): inline styles, no
// scripts, nothing fetched from elsewhere, and every piece of user text escaped.
import type { Dossier, DossierEntry } from '../../../protocol/dossier.ts';
import type { RecordContext } from '../../../protocol/models.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

/** Only web links lead back to the record: a `javascript:` or `data:` URL stays text. */
function webUrl(url: string | null): string | null {
  if (!url || !URL.canParse(url)) return null;
  return ['http:', 'https:'].includes(new URL(url).protocol) ? url : null;
}

/** `2026-11-25 14:03 UTC`: the same reading for everyone who holds the printout. */
function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const STYLE = `
  :root { color-scheme: light; }
  body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
    max-width: 860px; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d0d7de; padding-bottom: .25rem; }
  .meta { color: #57606a; margin: .15rem 0; }
  table { border-collapse: collapse; }
  th, td { text-align: left; padding: .25rem .75rem .25rem 0; vertical-align: top; }
  th { color: #57606a; font-weight: 600; }
  ol.timeline { list-style: none; padding: 0; margin: 0; }
  .entry { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .75rem; margin: .5rem 0; }
  .entry header { color: #57606a; font-size: .85rem; }
  .entry header strong { color: #1f2328; }
  .body { white-space: pre-wrap; overflow-wrap: anywhere; margin: .25rem 0 0; }
  .files { list-style: none; margin: .25rem 0 0; padding: 0; overflow-wrap: anywhere; }
  .event { background: #f6f8fa; border-style: dashed; }
  .note { background: #fff8c5; border-color: #d4a72c; }
  .note-label { font-weight: 600; color: #7d4e00; font-size: .85rem; margin: 0 0 .25rem; }
  .deleted { font-style: italic; color: #57606a; }
  @media print {
    body { margin: 0; max-width: none; font-size: 10.5pt; }
    .entry { break-inside: avoid; }
    .note, .event { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    a { color: inherit; }
    a[href]::after { content: " (" attr(href) ")"; font-size: .85em; }
  }
`;

function contextTable(context: RecordContext): string {
  const rows = Object.entries(context).map(
    ([field, value]) =>
      `<tr><th scope="row">${escapeHtml(field)}</th><td>${escapeHtml(String(value ?? '—'))}</td></tr>`,
  );
  return rows.length > 0 ? `<table>${rows.join('')}</table>` : '<p class="meta">No details.</p>';
}

/** Bytes as a reader says them: 820 B, 14 KB, 2.3 MB. */
function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function entryHtml(entry: DossierEntry): string {
  const classes = ['entry', entry.kind, ...(entry.internalNote ? ['note'] : [])].join(' ');
  // Events come from the host's system, whose organisation means nothing to a reader.
  const who =
    entry.kind === 'event'
      ? `<strong>${escapeHtml(entry.sender.displayName)}</strong> · event`
      : `<strong>${escapeHtml(entry.sender.displayName)}</strong> (${escapeHtml(entry.sender.organization.name)})`;
  const edited = entry.editedAt && !entry.deletedAt ? ' · edited' : '';
  const note = entry.internalNote
    ? `<p class="note-label">Internal note — only ${escapeHtml(entry.internalNote.name)} sees this</p>`
    : '';
  const body =
    entry.body === null
      ? '<p class="body deleted">message deleted</p>'
      : `<p class="body">${escapeHtml(entry.body)}</p>`;
  const files =
    entry.attachments.length === 0
      ? ''
      : `<ul class="files">${entry.attachments
          .map(
            (file) =>
              `<li>📎 ${escapeHtml(file.name)} <span class="meta">(${formatSize(file.size)})</span></li>`,
          )
          .join('')}</ul>`;
  return `<li class="${classes}">${note}<header>${who} · <time datetime="${escapeHtml(entry.createdAt)}">${formatTime(entry.createdAt)}</time>${edited}</header>${body}${files}</li>`;
}

/** The whole page for one dossier. */
export function renderDossierHtml(dossier: Dossier): string {
  const { record } = dossier;
  const title = escapeHtml(record.title);
  const link = webUrl(record.url);
  const timeline =
    dossier.entries.length > 0
      ? `<ol class="timeline">${dossier.entries.map(entryHtml).join('\n')}</ol>`
      : '<p class="meta">No messages.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${title} — dossier</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<p class="meta">${escapeHtml(record.type)} ${escapeHtml(record.id)} · ${record.status === 'open' ? 'Open' : 'Closed'}${
    link ? ` · <a href="${escapeHtml(link)}">Open the record</a>` : ''
  }</p>
<p class="meta">Exported ${formatTime(dossier.exportedAt)} by ${escapeHtml(dossier.exportedBy.name)}, as ${escapeHtml(dossier.audience.name)} sees it.</p>
</header>
<main>
<h2>Record</h2>
${contextTable(record.context)}
<h2>Conversation</h2>
${timeline}
<h2>Attachments</h2>
<p>Attachments: none</p>
</main>
</body>
</html>
`;
}
