// The `/api/docs` page: the OpenAPI document as plain HTML, rendered here rather than by a script from a
// CDN, so that a self-hosted Parley shows its reference offline and under a CSP that admits no script.
import { errorStatus } from '../../../protocol/errors.ts';
import type { JsonSchema } from '../../../protocol/json-schema.ts';
import type { OpenApiDocument, OpenApiOperation, OpenApiParameter } from '../../../protocol/openapi.ts';
import { type FieldRow, fieldRows, typeText } from '../../../protocol/schema-text.ts';
import { escapeHtml } from '../../domain/records/dossier-html.ts';

/** The page's only stylesheet; openapi-routes.ts admits it by its hash. */
export const API_DOCS_STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 4rem; color: #1d1d1f; }
h1 { margin-bottom: .25rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
h3 { margin: 2rem 0 .25rem; font-size: 1rem; } h3 code { font-size: 1rem; }
code { font: 13px/1.4 ui-monospace, monospace; background: #f3f3f5; padding: 0 .2em; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: 14px; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #eee; padding: .3rem .5rem .3rem 0; }
.method { display: inline-block; min-width: 4rem; font-weight: 600; }
.meta { color: #555; margin: .25rem 0; }
nav ul { columns: 2; padding-left: 1rem; }
@media (prefers-color-scheme: dark) {
  body { background: #1d1d1f; color: #eee; } code { background: #2c2c30; } th, td { border-color: #333; }
  .meta { color: #aaa; }
}
`;

/** Escaped text with `code spans` as <code>, as the catalogue writes them. */
const prose = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
const anchor = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');

function fieldTable(rows: readonly FieldRow[]): string {
  if (rows.length === 0) return '';
  const body = rows
    .map(
      (row) =>
        `<tr><td>${code(row.name)}${row.required ? '' : ' <small>optional</small>'}</td>` +
        `<td>${code(row.type)}</td><td>${prose(row.notes)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Field</th><th>Type</th><th>Notes</th></tr></thead><tbody>${body}</tbody></table>`;
}

function parameterRows(parameters: readonly OpenApiParameter[]): FieldRow[] {
  return parameters.map((parameter) => ({
    name: `${parameter.in === 'path' ? ':' : '?'}${parameter.name}`,
    type: typeText(parameter.schema),
    required: parameter.required,
    notes: parameter.description ?? '',
  }));
}

function schemaBlock(schema: JsonSchema): string {
  const rows = schema.type === 'object' ? fieldRows(schema) : [];
  return rows.length > 0 ? fieldTable(rows) : `<p>${code(typeText(schema))}</p>`;
}

function operationSection(method: string, path: string, operation: OpenApiOperation): string {
  const parts = [
    `<h3 id="${escapeHtml(operation.operationId)}"><span class="method">${method.toUpperCase()}</span> ${code(path)}</h3>`,
    `<p>${prose(operation.summary)}</p>`,
    `<p class="meta">Auth: ${escapeHtml(operation['x-parley-auth'])}` +
      (operation['x-parley-api-key-scope'] ? ` (scope ${code(operation['x-parley-api-key-scope'])})` : '') +
      (operation['x-parley-event-points'] ? ` · costs ${operation['x-parley-event-points']} points` : '') +
      (operation['x-parley-demo-only'] ? ' · demo mode only' : '') +
      (operation['x-parley-metrics-only'] ? ' · only when metrics are on this port' : '') +
      '</p>',
    fieldTable(parameterRows(operation.parameters)),
  ];
  const body = operation.requestBody?.content['application/json']?.schema;
  if (body) parts.push('<p>Body:</p>', schemaBlock(body));
  const upload = operation.requestBody?.content['multipart/form-data'] && operation.requestBody.description;
  if (upload) parts.push(`<p>Body (<code>multipart/form-data</code>): ${prose(upload)}</p>`);
  for (const [status, response] of Object.entries(operation.responses)) {
    if (Number(status) >= 400) continue;
    const json = response.content?.['application/json']?.schema;
    const html = response.content?.['text/html'] ? ' or an HTML page' : '';
    parts.push(`<p>${status}: ${json ? code(typeText(json)) : escapeHtml(response.description)}${html}</p>`);
  }
  const errors = Object.entries(operation.responses)
    .filter(([status]) => Number(status) >= 400)
    .map(([status, response]) => `${status} ${prose(response.description)}`);
  if (errors.length > 0) parts.push(`<p class="meta">Errors: ${errors.join(' · ')}</p>`);
  return parts.join('\n');
}

export function renderApiDocsPage(document: OpenApiDocument): string {
  const byTag = new Map<string, string[]>(document.tags.map((tag) => [tag.name, []]));
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      byTag.get(operation.tags[0] ?? '')?.push(operationSection(method, path, operation));
    }
  }
  const codes = Object.entries(errorStatus)
    .map(([name, status]) => `<tr><td>${code(name)}</td><td>${status}</td></tr>`)
    .join('');
  const models = Object.entries(document.components.schemas)
    .map(([id, schema]) => `<h3 id="model-${escapeHtml(id)}">${escapeHtml(id)}</h3>\n${schemaBlock(schema)}`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)}</title>
<style>${API_DOCS_STYLE}</style>
</head>
<body>
<h1>${escapeHtml(document.info.title)}</h1>
<p class="meta">Version ${escapeHtml(document.info.version)} · <a href="/api/openapi.json">OpenAPI 3.1 document</a></p>
<p>${prose(document.info.description)}</p>
<nav><ul>${[...byTag.keys()].map((tag) => `<li><a href="#${anchor(tag)}">${escapeHtml(tag)}</a></li>`).join('')}<li><a href="#models">Models</a></li><li><a href="#errors">Error codes</a></li></ul></nav>
${[...byTag].map(([tag, sections]) => `<h2 id="${anchor(tag)}">${escapeHtml(tag)}</h2>\n${sections.join('\n')}`).join('\n')}
<h2 id="models">Models</h2>
${models}
<h2 id="errors">Error codes</h2>
<table><thead><tr><th>Code</th><th>Status</th></tr></thead><tbody>${codes}</tbody></table>
</body>
</html>
`;
}
