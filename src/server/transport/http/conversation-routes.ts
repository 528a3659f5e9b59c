// REST routes for conversations and their messages; each validates, calls the domain once and answers.
import type { FastifyInstance } from 'fastify';
import type {
  ConversationListResponse,
  ConversationResponse,
  MarkReadResponse,
  MeResponse,
  MessagePage,
  SendMessageResponse,
} from '../../../protocol/rest.ts';
import {
  conversationIdParamsSchema,
  createConversationRequestSchema,
  markReadRequestSchema,
  messagePageQuerySchema,
  sendMessageRequestSchema,
} from '../../../protocol/rest.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { Conversations } from '../../domain/conversations/conversations.ts';
import type { Messages } from '../../domain/messages/messages.ts';
import { userOf } from './authenticate.ts';

export interface ConversationRoutesDeps {
  conversations: Conversations;
  messages: Messages;
}

export function registerConversationRoutes(
  app: FastifyInstance,
  { conversations, messages }: ConversationRoutesDeps,
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

  app.post('/api/conversations/:id/read', async (request): Promise<MarkReadResponse> => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    const { seq } = parseInput(markReadRequestSchema, request.body);
    return { lastReadSeq: await conversations.markRead(userOf(request), id, seq) };
  });
}
