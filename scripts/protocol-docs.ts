// Writes the reference part of docs/protocol.md (between its BEGIN/END markers) from the protocol's
// catalogues: every socket event and every REST route with its payloads, answers and error codes, and the
// models they share. `--check` writes nothing and fails when the file is not what it would write, which
// is how CI keeps the page current (npm run docs:check).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorStatus } from '../src/protocol/errors.ts';
import { createSchemaConverter, type JsonSchema } from '../src/protocol/json-schema.ts';
import { errorsOf, type RouteSpec } from '../src/protocol/route-spec.ts';
import { restRouteGroups } from '../src/protocol/routes.ts';
import { fieldRows, typeText } from '../src/protocol/schema-text.ts';
import {
  type ClientEventSpec,
  clientEvents,
  connectError,
  everyEventErrors,
  type ServerEventSpec,
  serverEvents,
} from '../src/protocol/socket-events.ts';

const BEGIN = '<!-- BEGIN GENERATED REFERENCE: npm run docs:protocol writes this part from src/protocol/ -->';
const END = '<!-- END GENERATED REFERENCE -->';
const page = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'protocol.md');

const converter = createSchemaConverter();
const code = (text: string) => `\`${text.replaceAll('|', '\\|')}\``;
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const codes = (list: readonly string[]) =>
  list.length === 0
    ? '—'
    : list.map((c) => `\`${c}\` (${errorStatus[c as keyof typeof errorStatus]})`).join(', ');

/** A schema as a field table, or as its type on one line when it is not a plain object. */
function shape(schema: JsonSchema): string[] {
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (union?.every((variant) => variant.type === 'object')) {
    return union.map((variant) => `- ${code(typeText(variant))}`);
  }
  const rows = schema.type === 'object' && !schema.$ref ? fieldRows(schema) : [];
  if (rows.length === 0) return [code(typeText(schema))];
  return [
    '| Field | Type | Notes |',
    '| --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| \`${row.name}\`${row.required ? '' : ' (optional)'} | ${code(row.type)} | ${cell(row.notes)} |`,
    ),
  ];
}

function clientEventSection(name: string, event: ClientEventSpec): string[] {
  const result = typeText(converter.convert(event.result, 'output'));
  const ack = result === '{}' ? '`{ ok: true }`' : code(`{ ok: true } & ${result}`);
  return [
    `#### \`${name}\`${event.signal ? ' (signal)' : ''}`,
    '',
    event.summary,
    '',
    'Payload:',
    '',
    ...shape(converter.convert(event.payload, 'input')),
    '',
    `Ack${event.signal ? ' (optional)' : ''}: ${ack}, or \`{ ok: false, error }\` with ${codes([
      ...event.errors,
      ...everyEventErrors,
    ])}.`,
    '',
  ];
}

function serverEventSection(name: string, event: ServerEventSpec): string[] {
  return [
    `#### \`${name}\``,
    '',
    event.summary,
    '',
    ...shape(converter.convert(event.payload, 'output')),
    '',
  ];
}

const authText: Record<RouteSpec['auth'], string> = {
  none: 'none',
  user: 'host token (a signed-in user)',
  admin: 'host token of an admin of the internal organisation',
  apiKey: 'API key',
  userOrApiKey: 'host token, or an API key',
  userOrSignedUrl: 'host token, or a signed URL issued to a user',
  metricsToken: 'the metrics token (`PARLEY_METRICS_TOKEN`)',
};

function routeSection(route: RouteSpec): string[] {
  const lines = [`#### \`${route.method} ${route.path}\``, '', route.summary, ''];
  const scope = route.scope ? ` (API key scope \`${route.scope}\`)` : '';
  const points = route.eventPoints ? `; costs ${route.eventPoints} points of the event budget` : '';
  const only = route.demo ? ' Demo mode only.' : route.metrics ? ' Only when metrics are on this port.' : '';
  lines.push(`Auth: ${authText[route.auth]}${scope}${points}.${only}`, '');
  for (const [label, schema] of [
    ['Path', route.params],
    ['Query', route.query],
    ['Body', route.body],
  ] as const) {
    if (schema) lines.push(`${label}:`, '', ...shape(converter.convert(schema, 'input')), '');
  }
  if (route.upload) lines.push(`Body (\`multipart/form-data\`): ${route.upload}`, '');
  for (const [status, schema] of Object.entries(route.responses)) {
    lines.push(
      `Answer ${status}: ${schema ? code(typeText(converter.convert(schema, 'output'))) : 'no body'}`,
      '',
    );
  }
  if (route.html) lines.push(`Answer 200 (HTML): ${route.html}`, '');
  if (route.file) lines.push(`Answer 200 (file): ${route.file}`, '');
  if (route.text) lines.push(`Answer 200 (text): ${route.text}`, '');
  lines.push(`Errors: ${codes(errorsOf(route))}.`, '');
  return lines;
}

function modelSection(id: string, schema: JsonSchema): string[] {
  const description = typeof schema.description === 'string' ? [schema.description, ''] : [];
  return [`#### ${id}`, '', ...description, ...shape(schema), ''];
}

function reference(): string {
  const lines = [
    BEGIN,
    '',
    '## Socket events',
    '',
    'Every event a client sends costs one point of the event budget and may be refused with',
    `${codes(everyEventErrors)}; the codes listed per event come on top.`,
    '',
    '### Client → server',
    '',
  ];
  for (const [name, event] of Object.entries(clientEvents)) lines.push(...clientEventSection(name, event));
  lines.push('### Server → client', '');
  for (const [name, event] of Object.entries(serverEvents)) lines.push(...serverEventSection(name, event));
  lines.push('### Handshake refusal (`connect_error`)', '', ...serverEventSection('err.data', connectError));
  lines.push(
    '## REST routes',
    '',
    'Also served as an OpenAPI 3.1 document at `GET /api/openapi.json` and as a page at `GET /api/docs`.',
    'Every route may also answer `internal` (500) and `unavailable` (503).',
    '',
  );
  for (const group of restRouteGroups) {
    lines.push(`### ${group.name}`, '');
    for (const route of group.routes) lines.push(...routeSection(route));
  }
  lines.push('## Models', '', 'The named shapes the events and routes above refer to.', '');
  for (const [id, schema] of Object.entries(converter.components())) lines.push(...modelSection(id, schema));
  lines.push(END);
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

const current = readFileSync(page, 'utf8');
const start = current.indexOf(BEGIN);
const end = current.indexOf(END);
if (start < 0 || end < start) throw new Error(`${page} lacks the markers ${BEGIN} … ${END}`);
const next = current.slice(0, start) + reference() + current.slice(end + END.length + 1);

if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error(
      'docs/protocol.md is out of date with src/protocol/: run npm run docs:protocol and commit it.',
    );
    process.exit(1);
  }
} else {
  writeFileSync(page, next);
}
