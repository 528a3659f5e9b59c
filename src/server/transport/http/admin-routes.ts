// The administration REST API under /api/admin: channels, policies, members, organisations and users.
import type { FastifyInstance } from 'fastify';
import type {
  ChannelListResponse,
  ConversationResponse,
  MembersResponse,
  OrganizationListResponse,
  OrganizationResponse,
  UserListResponse,
} from '../../../protocol/rest.ts';
import {
  addMembersRequestSchema,
  conversationIdParamsSchema,
  createChannelRequestSchema,
  memberParamsSchema,
  organizationParamsSchema,
  updateChannelRequestSchema,
  updateOrganizationRequestSchema,
} from '../../../protocol/rest.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { Administration } from '../../domain/administration/administration.ts';
import { userOf } from './authenticate.ts';

export function registerAdminRoutes(app: FastifyInstance, admin: Administration): void {
  app.get(
    '/api/admin/users',
    async (request): Promise<UserListResponse> => ({ users: await admin.listUsers(userOf(request)) }),
  );

  app.get(
    '/api/admin/organizations',
    async (request): Promise<OrganizationListResponse> => ({
      organizations: await admin.listOrganizations(userOf(request)),
    }),
  );

  app.patch('/api/admin/organizations/:id', async (request): Promise<OrganizationResponse> => {
    const { id } = parseInput(organizationParamsSchema, request.params);
    const changes = parseInput(updateOrganizationRequestSchema, request.body);
    return { organization: await admin.updateOrganization(userOf(request), id, changes) };
  });

  app.get(
    '/api/admin/channels',
    async (request): Promise<ChannelListResponse> => ({
      channels: await admin.listChannels(userOf(request)),
    }),
  );

  app.post('/api/admin/channels', async (request, reply): Promise<ConversationResponse> => {
    const body = parseInput(createChannelRequestSchema, { kind: 'channel', ...(request.body as object) });
    const started = await admin.createChannel(userOf(request), body);
    reply.status(201);
    return { conversation: started.conversation };
  });

  app.patch('/api/admin/channels/:id', async (request) => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    return {
      channel: await admin.updateChannel(
        userOf(request),
        id,
        parseInput(updateChannelRequestSchema, request.body),
      ),
    };
  });

  app.post('/api/admin/channels/:id/members', async (request): Promise<MembersResponse> => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    const { userIds } = parseInput(addMembersRequestSchema, request.body);
    return { added: await admin.addMembers(userOf(request), id, userIds) };
  });

  app.delete('/api/admin/channels/:id/members/:userId', async (request, reply) => {
    const { id, userId } = parseInput(memberParamsSchema, request.params);
    await admin.removeMember(userOf(request), id, userId);
    return reply.status(204).send();
  });
}
