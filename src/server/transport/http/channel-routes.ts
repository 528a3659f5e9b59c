// REST routes that run a channel from inside it (protocol/routes-channels.ts): validate, call the channel
// settings once, answer.
import type { FastifyInstance } from 'fastify';
import type { ChannelMembersResponse } from '../../../protocol/channel-members.ts';
import type { ChannelResponse } from '../../../protocol/rest.ts';
import {
  conversationIdParamsSchema,
  memberParamsSchema,
  updateChannelRequestSchema,
} from '../../../protocol/rest.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { ChannelSettings } from '../../domain/conversations/channel-settings.ts';
import { userOf } from './authenticate.ts';

export function registerChannelRoutes(app: FastifyInstance, settings: ChannelSettings): void {
  app.patch('/api/conversations/:id', async (request): Promise<ChannelResponse> => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    const changes = parseInput(updateChannelRequestSchema, request.body);
    return { channel: await settings.update(userOf(request), id, changes) };
  });

  app.get('/api/conversations/:id/members', async (request): Promise<ChannelMembersResponse> => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    return settings.members(userOf(request), id);
  });

  app.delete('/api/conversations/:id/members/:userId', async (request, reply) => {
    const { id, userId } = parseInput(memberParamsSchema, request.params);
    await settings.remove(userOf(request), id, userId);
    return reply.status(204).send();
  });
}
