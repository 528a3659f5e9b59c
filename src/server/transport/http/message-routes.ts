// REST routes that act on a sent message (protocol/routes-messages.ts): validate, call the message actions
// once, answer.
import type { FastifyInstance } from 'fastify';
import type { MessageActionResponse, MessageVersionsResponse } from '../../../protocol/message-actions.ts';
import {
  editMessageRequestSchema,
  messageParamsSchema,
  reactionParamsSchema,
} from '../../../protocol/message-actions.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { Messages } from '../../domain/messages/messages.ts';
import { userOf } from './authenticate.ts';

export function registerMessageRoutes(app: FastifyInstance, messages: Messages): void {
  app.patch('/api/messages/:id', async (request): Promise<MessageActionResponse> => {
    const { id } = parseInput(messageParamsSchema, request.params);
    return messages.edit(userOf(request), id, parseInput(editMessageRequestSchema, request.body));
  });

  app.delete('/api/messages/:id', async (request): Promise<MessageActionResponse> => {
    const { id } = parseInput(messageParamsSchema, request.params);
    return messages.delete(userOf(request), id);
  });

  app.put('/api/messages/:id/reactions/:emoji', async (request): Promise<MessageActionResponse> => {
    const { id, emoji } = parseInput(reactionParamsSchema, request.params);
    return messages.react(userOf(request), id, emoji);
  });

  app.delete('/api/messages/:id/reactions/:emoji', async (request): Promise<MessageActionResponse> => {
    const { id, emoji } = parseInput(reactionParamsSchema, request.params);
    return messages.unreact(userOf(request), id, emoji);
  });

  app.get('/api/messages/:id/versions', async (request): Promise<MessageVersionsResponse> => {
    const { id } = parseInput(messageParamsSchema, request.params);
    return messages.versions(userOf(request), id);
  });
}
