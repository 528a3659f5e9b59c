// The REST API's reference, served by Parley itself: the OpenAPI 3.1 document generated from the protocol
// catalogue at `/api/openapi.json`, and the same document as a page at `/api/docs`. Both are built once.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from '../../../protocol/openapi.ts';
import { API_DOCS_STYLE, renderApiDocsPage } from './api-docs-page.ts';

const packageJson = new URL('../../../../package.json', import.meta.url);

/** The page runs nothing and loads nothing: its one stylesheet is admitted by hash, not by `unsafe-inline`. */
const pageSecurityPolicy = `default-src 'none'; style-src 'sha256-${createHash('sha256')
  .update(API_DOCS_STYLE)
  .digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export function registerOpenApiRoutes(app: FastifyInstance): void {
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const document = buildOpenApiDocument(version);
  const page = renderApiDocsPage(document);

  app.get('/api/openapi.json', async () => document);
  app.get('/api/docs', async (_request, reply) =>
    reply.header('content-security-policy', pageSecurityPolicy).type('text/html; charset=utf-8').send(page),
  );
}
