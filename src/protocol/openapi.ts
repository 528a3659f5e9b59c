// The REST catalogue (routes.ts) as an OpenAPI 3.1 document: what `GET /api/openapi.json` serves and the
// `/api/docs` page renders. Nothing here is written by hand but the framing; every shape comes from zod.
import { type ErrorCode, errorResponseSchema, errorStatus } from './errors.ts';
import { createSchemaConverter, type JsonSchema, type SchemaConverter } from './json-schema.ts';
import { errorsOf, type RouteAuth, type RouteSpec } from './route-spec.ts';
import { restRouteGroups } from './routes.ts';

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  content?: Record<string, { schema: JsonSchema }>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters: OpenApiParameter[];
  requestBody?: { required: true; description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, OpenApiResponse>;
  /** Who may call it, in Parley's words (`RouteAuth`). */
  'x-parley-auth': RouteAuth;
  'x-parley-api-key-scope'?: string;
  'x-parley-event-points'?: number;
  'x-parley-demo-only'?: true;
  'x-parley-metrics-only'?: true;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: { name: string }[];
  paths: Record<string, Partial<Record<Lowercase<RouteSpec['method']>, OpenApiOperation>>>;
  components: {
    securitySchemes: Record<
      string,
      | { type: 'http'; scheme: 'bearer'; bearerFormat: string; description: string }
      | { type: 'apiKey'; in: 'query'; name: string; description: string }
    >;
    schemas: Record<string, JsonSchema>;
  };
}

const securitySchemes = {
  hostToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "A token the host signs for its signed-in user (HS256 secret or the host's JWKS).",
  },
  signedUrl: {
    type: 'apiKey',
    in: 'query',
    name: 'sig',
    description:
      'A signed download URL (`POST /api/attachments/{id}/url`): `user`, `expires` and `sig` in its query.',
  },
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'pk_<id>.<secret>',
    description: "A host back-end's API key, created by an admin (`POST /api/admin/api-keys`).",
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'PARLEY_METRICS_TOKEN',
    description: 'The token the operator set as `PARLEY_METRICS_TOKEN`, for Prometheus scrapers.',
  },
} as const;

const securityOf: Record<RouteAuth, Record<string, string[]>[]> = {
  none: [],
  user: [{ hostToken: [] }],
  admin: [{ hostToken: [] }],
  apiKey: [{ apiKey: [] }],
  userOrApiKey: [{ hostToken: [] }, { apiKey: [] }],
  userOrSignedUrl: [{ hostToken: [] }, { signedUrl: [] }],
  metricsToken: [{ metricsToken: [] }],
};

/** `/api/conversations/:id` → `/api/conversations/{id}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** One parameter per property; a union of objects (a query read two ways) lists each property once. */
function parameters(schema: JsonSchema, where: OpenApiParameter['in']): OpenApiParameter[] {
  const variants = (schema.anyOf as JsonSchema[] | undefined) ?? [schema];
  const requiredIn = (variant: JsonSchema) => (variant.required as string[] | undefined) ?? [];
  const byName = new Map<string, OpenApiParameter>();
  for (const variant of variants) {
    const properties = (variant.properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, { description, ...propertySchema }] of Object.entries(properties)) {
      if (byName.has(name)) continue;
      byName.set(name, {
        name,
        in: where,
        required: where === 'path' || variants.every((other) => requiredIn(other).includes(name)),
        ...(typeof description === 'string' ? { description } : {}),
        schema: propertySchema,
      });
    }
  }
  return [...byName.values()];
}

function errorResponses(
  codes: readonly ErrorCode[],
  errorSchema: JsonSchema,
): Record<string, OpenApiResponse> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, statusCodes]) => [
      String(status),
      {
        description: statusCodes.map((code) => `\`${code}\``).join(', '),
        content: { 'application/json': { schema: errorSchema } },
      },
    ]),
  );
}

/** A multipart body of one file part named `file`. */
function uploadBody(description: string): NonNullable<OpenApiOperation['requestBody']> {
  const file = { type: 'string', contentMediaType: 'application/octet-stream' };
  return {
    required: true,
    description,
    content: {
      'multipart/form-data': {
        schema: { type: 'object', properties: { file }, required: ['file'] },
      },
    },
  };
}

function operation(route: RouteSpec, tag: string, converter: SchemaConverter, errorSchema: JsonSchema) {
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    responses[status] = schema
      ? {
          description: 'OK',
          content: { 'application/json': { schema: converter.convert(schema, 'output') } },
        }
      : { description: 'No content' };
  }
  if (route.html) {
    const ok = responses['200'] ?? { description: route.html };
    responses['200'] = { ...ok, content: { ...ok.content, 'text/html': { schema: { type: 'string' } } } };
  }
  if (route.file) {
    responses['200'] = {
      description: route.file,
      content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: '*/*' } } },
    };
  }
  if (route.text) {
    responses['200'] = { description: route.text, content: { 'text/plain': { schema: { type: 'string' } } } };
  }
  const result: OpenApiOperation = {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_, c: string = '') => c.toUpperCase())}`,
    summary: route.summary,
    tags: [tag],
    security: securityOf[route.auth],
    parameters: [
      ...(route.params ? parameters(converter.convert(route.params, 'input'), 'path') : []),
      ...(route.query ? parameters(converter.convert(route.query, 'input'), 'query') : []),
    ],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: converter.convert(route.body, 'input') } },
          },
        }
      : {}),
    ...(route.upload ? { requestBody: uploadBody(route.upload) } : {}),
    responses: { ...responses, ...errorResponses(errorsOf(route), errorSchema) },
    'x-parley-auth': route.auth,
    ...(route.scope ? { 'x-parley-api-key-scope': route.scope } : {}),
    ...(route.eventPoints ? { 'x-parley-event-points': route.eventPoints } : {}),
    ...(route.demo ? { 'x-parley-demo-only': true } : {}),
    ...(route.metrics ? { 'x-parley-metrics-only': true } : {}),
  };
  return result;
}

export function buildOpenApiDocument(version: string): OpenApiDocument {
  const converter = createSchemaConverter();
  const errorSchema = converter.convert(errorResponseSchema, 'output');
  const paths: OpenApiDocument['paths'] = {};
  for (const group of restRouteGroups) {
    for (const route of group.routes) {
      const path = openApiPath(route.path);
      const method = route.method.toLowerCase() as Lowercase<RouteSpec['method']>;
      paths[path] = { ...paths[path], [method]: operation(route, group.name, converter, errorSchema) };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley REST API',
      version,
      description:
        'Errors answer `{ "error": { "code", "message", "issues"?, "retryAfterMs"? } }`; besides the codes ' +
        'listed per route, any route may answer `internal` (500) or `unavailable` (503, retry after ' +
        '`retryAfterMs`). The Socket.IO protocol is described in docs/protocol.md.',
    },
    tags: restRouteGroups.map((group) => ({ name: group.name })),
    paths,
    components: { securitySchemes, schemas: converter.components() },
  };
}
