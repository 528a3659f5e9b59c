// REST routes for read state, mute, badges, receipts and presence.
import type { FastifyInstance } from 'fastify';
import type {
  MarkReadResponse,
  PresenceResponse,
  ReceiptsResponse,
  UnreadResponse,
} from '../../../protocol/rest.ts';
import {
  conversationIdParamsSchema,
  markReadRequestSchema,
  muteRequestSchema,
  presenceQuerySchema,
  receiptsQuerySchema,
} from '../../../protocol/rest.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { Directory } from '../../domain/access/directory.ts';
import type { Presence } from '../../domain/presence/presence.ts';
import type { ReadState } from '../../domain/read-state/read-state.ts';
import { userOf } from './authenticate.ts';

export interface ReadStateRoutesDeps {
  readState: ReadState;
  presence: Presence;
  directory: Directory;
}

export function registerReadStateRoutes(
  app: FastifyInstance,
  { readState, presence, directory }: ReadStateRoutesDeps,
): void {
  app.post('/api/conversations/:id/read', async (request): Promise<MarkReadResponse> => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    const { seq } = parseInput(markReadRequestSchema, request.body);
    return { lastReadSeq: await readState.markRead(userOf(request), id, seq) };
  });

  app.post('/api/conversations/:id/mute', async (request) => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    const { muted } = parseInput(muteRequestSchema, request.body);
    return { muted: await readState.setMuted(userOf(request), id, muted) };
  });

  app.get('/api/conversations/:id/receipts', async (request): Promise<ReceiptsResponse> => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    const { seq } = parseInput(receiptsQuerySchema, request.query);
    return readState.receipts(userOf(request), id, seq);
  });

  /** For the host's own navigation badge. */
  app.get('/api/me/unread', async (request): Promise<UnreadResponse> => readState.totals(userOf(request)));

  app.get('/api/presence', async (request): Promise<PresenceResponse> => {
    const { userIds } = parseInput(presenceQuerySchema, request.query);
    // Only people the user may message: presence must not tell one organisation about another.
    const visible = await directory.reachable(userOf(request), userIds);
    return { presence: await presence.snapshot(visible.map((user) => user.id)) };
  });
}
