// REST routes for conversations and their messages; each validates, calls the domain once and answers.
import type { FastifyInstance } from 'fastify';
import type {
  ChannelListResponse,
  ConversationListResponse,
  ConversationResponse,
  MembersResponse,
  MeResponse,
  MessagePage,
  SendMessageResponse,
  UserListResponse,
} from '../../../protocol/rest.ts';
import {
  addMembersRequestSchema,
  conversationIdParamsSchema,
  createConversationRequestSchema,
  messagePageQuerySchema,
  sendMessageRequestSchema,
} from '../../../protocol/rest.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { Directory } from '../../domain/access/directory.ts';
import type { Conversations } from '../../domain/conversations/conversations.ts';
import type { Messages } from '../../domain/messages/messages.ts';
import { userOf } from './authenticate.ts';

export interface ConversationRoutesDeps {
  conversations: Conversations;
  messages: Messages;
  directory: Directory;
}

export function registerConversationRoutes(
  app: FastifyInstance,
  { conversations, messages, directory }: ConversationRoutesDeps,
): void {
  app.get('/api/me', async (request): Promise<MeResponse> => ({ user: userOf(request) }));

  app.get(
    '/api/conversations',
    async (request): Promise<ConversationListResponse> => ({
      conversations: await conversations.list(userOf(request)),
    }),
  );

  app.post('/api/conversations', async (request, reply): Promise<ConversationResponse> => {
    const started = await conversations.start(
      userOf(request),
      parseInput(createConversationRequestSchema, request.body),
    );
    reply.status(started.created ? 201 : 200);
    return { conversation: started.conversation };
  });

  app.get('/api/conversations/:id', async (request): Promise<ConversationResponse> => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    return { conversation: await conversations.get(userOf(request), id) };
  });

  app.get('/api/conversations/:id/messages', async (request): Promise<MessagePage> => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    return messages.page(userOf(request), id, parseInput(messagePageQuerySchema, request.query));
  });

  app.post('/api/conversations/:id/messages', async (request, reply): Promise<SendMessageResponse> => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    const input = parseInput(sendMessageRequestSchema, request.body);
    const message = await messages.send(userOf(request), { conversationId: id, ...input });
    reply.status(201);
    return { message };
  });

  app.post('/api/conversations/:id/join', async (request): Promise<ConversationResponse> => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    return { conversation: await conversations.join(userOf(request), id) };
  });

  app.post('/api/conversations/:id/leave', async (request, reply) => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    await conversations.leave(userOf(request), id);
    return reply.status(204).send();
  });

  app.post('/api/conversations/:id/members', async (request): Promise<MembersResponse> => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    const { userIds } = parseInput(addMembersRequestSchema, request.body);
    return { added: await conversations.addMembers(userOf(request), id, userIds) };
  });

  app.get(
    '/api/channels',
    async (request): Promise<ChannelListResponse> => ({
      channels: await conversations.browseChannels(userOf(request)),
    }),
  );

  app.get(
    '/api/users',
    async (request): Promise<UserListResponse> => ({
      users: await directory.listReachable(userOf(request)),
    }),
  );
}
