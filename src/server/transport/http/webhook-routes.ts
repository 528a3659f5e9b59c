// The webhook administration REST API under /api/admin/webhooks: register, list, disable, delete, and
// read a webhook's delivery log.
import type { FastifyInstance } from 'fastify';
import { parseInput } from '../../../protocol/validate.ts';
import {
  type CreatedWebhookResponse,
  createWebhookRequestSchema,
  type WebhookDeliveryListResponse,
  type WebhookListResponse,
  type WebhookResponse,
  webhookDeliveriesQuerySchema,
  webhookParamsSchema,
} from '../../../protocol/webhooks.ts';
import type { Webhooks } from '../../domain/webhooks/webhooks.ts';
import { userOf } from './authenticate.ts';

export function registerWebhookRoutes(app: FastifyInstance, webhooks: Webhooks): void {
  app.get(
    '/api/admin/webhooks',
    async (request): Promise<WebhookListResponse> => ({ webhooks: await webhooks.list(userOf(request)) }),
  );

  app.post('/api/admin/webhooks', async (request, reply): Promise<CreatedWebhookResponse> => {
    const body = parseInput(createWebhookRequestSchema, request.body);
    const webhook = await webhooks.create(userOf(request), body);
    reply.status(201);
    return { webhook };
  });

  app.post('/api/admin/webhooks/:id/disable', async (request): Promise<WebhookResponse> => {
    const { id } = parseInput(webhookParamsSchema, request.params);
    return { webhook: await webhooks.disable(userOf(request), id) };
  });

  app.delete('/api/admin/webhooks/:id', async (request, reply) => {
    const { id } = parseInput(webhookParamsSchema, request.params);
    await webhooks.remove(userOf(request), id);
    return reply.status(204).send();
  });

  app.get('/api/admin/webhooks/:id/deliveries', async (request): Promise<WebhookDeliveryListResponse> => {
    const { id } = parseInput(webhookParamsSchema, request.params);
    const page = parseInput(webhookDeliveriesQuerySchema, request.query);
    return { deliveries: await webhooks.deliveries(userOf(request), id, page) };
  });
}
