// Record threads over REST: host back-ends (API keys) declare records and post events; users open threads;
// admins manage API keys; both users and host back-ends export a record's dossier.

import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type Dossier,
  type DossierFormat,
  dossierQuerySchema,
  hostDossierQuerySchema,
} from '../../../protocol/dossier.ts';
import type { OpenRecordResponse, SendMessageResponse } from '../../../protocol/rest.ts';
import {
  apiKeyParamsSchema,
  createApiKeyRequestSchema,
  declareRecordRequestSchema,
  openRecordRequestSchema,
  postRecordEventRequestSchema,
  recordParamsSchema,
} from '../../../protocol/rest.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { Identity } from '../../domain/identity/identity.ts';
import { COSTLY_READ_POINTS, type RateLimits } from '../../domain/limits/rate-limits.ts';
import type { ApiKeyPrincipal, ApiKeys } from '../../domain/records/api-keys.ts';
import type { Dossiers } from '../../domain/records/dossier.ts';
import { renderDossierHtml } from '../../domain/records/dossier-html.ts';
import type { Records } from '../../domain/records/records.ts';
import { bearerToken, chargeRequest, userOf } from './authenticate.ts';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: ApiKeyPrincipal | null;
  }
}

/** Routes for host back-ends, authenticated with `Authorization: Bearer pk_…`. Register in their own scope. */
export function registerRecordApiRoutes(app: FastifyInstance, records: Records, apiKeys: ApiKeys): void {
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (request) => {
    request.apiKey = await apiKeys.authenticate(bearerToken(request.headers.authorization));
  });
  const principal = (request: { apiKey: ApiKeyPrincipal | null }) => request.apiKey as ApiKeyPrincipal;

  app.put('/api/records/:type/:id', async (request) => {
    const { type, id } = parseInput(recordParamsSchema, request.params);
    apiKeys.requireScope(principal(request), 'records:write');
    const declaration = parseInput(declareRecordRequestSchema, request.body);
    const record = await records.declare(principal(request), { type, id, ...declaration });
    return { record };
  });

  app.get('/api/records/:type/:id', async (request, reply) => {
    const { type, id } = parseInput(recordParamsSchema, request.params);
    apiKeys.requireScope(principal(request), 'records:write');
    const record = await records.get(type, id);
    if (!record)
      return reply.status(404).send({ error: { code: 'not_found', message: `no record ${type} ${id}` } });
    return { record };
  });

  app.post('/api/records/:type/:id/messages', async (request, reply): Promise<SendMessageResponse> => {
    const { type, id } = parseInput(recordParamsSchema, request.params);
    apiKeys.requireScope(principal(request), 'records:post');
    const input = parseInput(postRecordEventRequestSchema, request.body);
    const message = await records.postEvent(principal(request), type, id, {
      body: input.body,
      clientMsgId: input.clientMsgId ?? randomUUID(),
    });
    reply.status(201);
    return { message };
  });
}

/** Routes for signed-in users and admins (inside the user-authenticated scope). */
export function registerRecordUserRoutes(app: FastifyInstance, records: Records, apiKeys: ApiKeys): void {
  app.post('/api/records/open', async (request): Promise<OpenRecordResponse> => {
    const { type, id, grant } = parseInput(openRecordRequestSchema, request.body);
    return records.open(userOf(request), type, id, grant);
  });

  app.post('/api/admin/api-keys', async (request, reply) => {
    const { name, scopes } = parseInput(createApiKeyRequestSchema, request.body);
    reply.status(201);
    return apiKeys.create(userOf(request), name, scopes);
  });

  app.get('/api/admin/api-keys', async (request) => ({ apiKeys: await apiKeys.list(userOf(request)) }));

  app.delete('/api/admin/api-keys/:id', async (request, reply) => {
    const { id } = parseInput(apiKeyParamsSchema, request.params);
    await apiKeys.revoke(userOf(request), id);
    return reply.status(204).send();
  });
}

export interface DossierRouteDeps {
  dossiers: Dossiers;
  apiKeys: ApiKeys;
  identity: Identity;
  rateLimits: RateLimits;
}

/**
 * `GET /api/records/:type/:id/dossier` answers users and host back-ends on one path. Fastify routes are
 * global, so it cannot sit in both authenticated scopes: register it in a scope of its own; it tells the two
 * apart by the credential.
 */
export function registerRecordDossierRoutes(app: FastifyInstance, deps: DossierRouteDeps): void {
  app.get('/api/records/:type/:id/dossier', async (request, reply) => {
    const { type, id } = parseInput(recordParamsSchema, request.params);
    const credential = bearerToken(request.headers.authorization);
    const { dossier, format } = credential?.startsWith('pk_')
      ? await hostDossier(deps, request, credential, type, id)
      : await userDossier(deps, request, reply, credential, type, id);
    return sendDossier(reply, dossier, format);
  });
}

async function hostDossier(
  { dossiers, apiKeys }: DossierRouteDeps,
  request: FastifyRequest,
  credential: string,
  type: string,
  id: string,
): Promise<{ dossier: Dossier; format: DossierFormat }> {
  const principal = await apiKeys.authenticate(credential);
  apiKeys.requireScope(principal, 'records:read');
  const { format, org } = parseInput(hostDossierQuerySchema, request.query);
  return { dossier: await dossiers.forOrganization(principal, type, id, org), format };
}

async function userDossier(
  { dossiers, identity, rateLimits }: DossierRouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  credential: string | undefined,
  type: string,
  id: string,
): Promise<{ dossier: Dossier; format: DossierFormat }> {
  const { user } = await identity.authenticate(credential);
  // Outside the user scope (see above), so its share of the user's budget is charged here.
  await chargeRequest(rateLimits, reply, { userId: user.id, points: COSTLY_READ_POINTS, write: false });
  const { format } = parseInput(dossierQuerySchema, request.query);
  return { dossier: await dossiers.forUser(user, type, id), format };
}

/** JSON downloads as a file; HTML opens in the browser, ready to print, and may run nothing. */
function sendDossier(reply: FastifyReply, dossier: Dossier, format: DossierFormat) {
  const fileName = `${dossier.record.type}-${dossier.record.id}-dossier.${format}`.replace(/[^\w.-]/g, '_');
  reply.header('cache-control', 'private, no-store');
  if (format === 'json') {
    return reply.header('content-disposition', `attachment; filename="${fileName}"`).send(dossier);
  }
  return reply
    .header('content-disposition', `inline; filename="${fileName}"`)
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .type('text/html; charset=utf-8')
    .send(renderDossierHtml(dossier));
}
