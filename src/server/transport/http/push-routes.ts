// The web push REST API under /api/push: the server's public key, subscribing this browser, the user's
// devices, revoking one, and a test notification.
import type { FastifyInstance } from 'fastify';
import {
  type PushDeviceListResponse,
  type PushDeviceResponse,
  type PushKeyResponse,
  type PushTestResponse,
  pushDeviceParamsSchema,
  subscribePushRequestSchema,
} from '../../../protocol/push.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { PushDevices } from '../../domain/notifications/push-devices.ts';
import { userOf } from './authenticate.ts';

export function registerPushRoutes(app: FastifyInstance, devices: PushDevices): void {
  app.get('/api/push/key', async (): Promise<PushKeyResponse> => ({ publicKey: devices.publicKey() }));

  app.post('/api/push/devices', async (request, reply): Promise<PushDeviceResponse> => {
    const body = parseInput(subscribePushRequestSchema, request.body);
    const { device, created } = await devices.subscribe(userOf(request), body, request.headers['user-agent']);
    reply.status(created ? 201 : 200);
    return { device };
  });

  app.get(
    '/api/push/devices',
    async (request): Promise<PushDeviceListResponse> => ({ devices: await devices.list(userOf(request)) }),
  );

  app.delete('/api/push/devices/:id', async (request, reply) => {
    const { id } = parseInput(pushDeviceParamsSchema, request.params);
    await devices.revoke(userOf(request), id);
    return reply.status(204).send();
  });

  app.post('/api/push/test', async (request): Promise<PushTestResponse> => devices.test(userOf(request)));
}
