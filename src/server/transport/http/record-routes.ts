// Record threads over REST: host back-ends (API keys) declare records and post events; users open threads;
// admins manage API keys.

import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ConversationResponse, SendMessageResponse } from '../../../protocol/rest.ts';
import {
  apiKeyParamsSchema,
  createApiKeyRequestSchema,
  declareRecordRequestSchema,
  openRecordRequestSchema,
  postRecordEventRequestSchema,
  recordParamsSchema,
} from '../../../protocol/rest.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { ApiKeyPrincipal, ApiKeys } from '../../domain/records/api-keys.ts';
import type { Records } from '../../domain/records/records.ts';
import { bearerToken, userOf } from './authenticate.ts';

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
  app.post('/api/records/open', async (request): Promise<ConversationResponse> => {
    const { type, id, grant } = parseInput(openRecordRequestSchema, request.body);
    return { conversation: await records.open(userOf(request), type, id, grant) };
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
