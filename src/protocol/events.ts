// The payloads of Socket.IO events in both directions; socket-events.ts lists the events themselves.
import { z } from 'zod';
import { conversationSchema, messageSchema, userPresenceSchema, userSchema } from './models.ts';
import {
  attachmentIdsSchema,
  broadcastSchema,
  clientMsgIdSchema,
  mentionsSchema,
  messageBodySchema,
  replyToIdSchema,
} from './rest.ts';
import { SYNC_MAX_CURSORS } from './sync-limits.ts';

export const socketSendMessageSchema = z.strictObject({
  conversationId: z.string().min(1).max(200),
  clientMsgId: clientMsgIdSchema,
  body: messageBodySchema,
  mentions: mentionsSchema,
  replyToId: replyToIdSchema,
  attachmentIds: attachmentIdsSchema,
  broadcast: broadcastSchema,
});
export type SocketSendMessage = z.input<typeof socketSendMessageSchema>;

export const socketMarkReadSchema = z.strictObject({
  conversationId: z.string().min(1).max(200),
  seq: z.number().int().min(0).max(2_147_483_647),
});
export type SocketMarkRead = z.infer<typeof socketMarkReadSchema>;

const seqSchema = z.number().int().min(0).max(2_147_483_647);

/** Resume after a (re)connect: the highest contiguous seq the client holds, per conversation. */
export const syncRequestSchema = z.strictObject({
  cursors: z
    .record(z.string().min(1).max(200), seqSchema)
    .refine(
      (cursors) => Object.keys(cursors).length <= SYNC_MAX_CURSORS,
      `at most ${SYNC_MAX_CURSORS} conversations per sync; send the rest in further requests`,
    ),
  /** Messages per conversation in this answer; the client pages on with `messages:page` when `hasMore`. */
  limit: z.number().int().min(1).max(100).default(100),
});
export type SyncRequest = z.input<typeof syncRequestSchema>;

export const socketMessagePageSchema = z.strictObject({
  conversationId: z.string().min(1).max(200),
  before: seqSchema.optional(),
  after: seqSchema.optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type SocketMessagePage = z.input<typeof socketMessagePageSchema>;

/** What one conversation missed since the client's cursor. */
export const conversationCatchUpSchema = z
  .strictObject({
    conversationId: z.string(),
    messages: z
      .array(messageSchema)
      .describe('Ascending by seq, starting right after the cursor (or, on reset, the newest page).'),
    hasMore: z
      .boolean()
      .describe('More messages follow this page: ask `messages:page` with `after` = the last seq.'),
    reset: z
      .boolean()
      .describe(
        'The cursor cannot be continued (it is ahead of the server, or too far behind to catch up message by ' +
          'message): drop what is held for this conversation and start again from `messages`, the newest page.',
      ),
  })
  .meta({ id: 'ConversationCatchUp' });
export type ConversationCatchUp = z.infer<typeof conversationCatchUpSchema>;

export const syncResponseSchema = z
  .strictObject({
    me: userSchema.describe('The connected user, as Parley knows them now.'),
    conversations: z
      .array(conversationSchema)
      .describe('Every conversation the user is in, as they see it now.'),
    catchUp: z.array(conversationCatchUpSchema).describe('For each cursor of a conversation that has news.'),
    removed: z
      .array(z.string())
      .describe('Cursors of conversations the user is no longer in (or that never existed): forget them.'),
    presence: z
      .array(userPresenceSchema)
      .describe('Presence of the people the user shares direct and group conversations with.'),
  })
  .meta({ id: 'SyncResponse' });
export type SyncResponse = z.infer<typeof syncResponseSchema>;

export const socketTypingSchema = z.strictObject({
  conversationId: z.string().min(1).max(200),
  typing: z.boolean(),
});
export type SocketTyping = z.infer<typeof socketTypingSchema>;

export const socketPresenceSchema = z.strictObject({ status: z.enum(['online', 'away']) });
export type SocketPresence = z.infer<typeof socketPresenceSchema>;

export const socketRefreshTokenSchema = z.strictObject({ token: z.string().min(1).max(8192) });
export type SocketRefreshToken = z.infer<typeof socketRefreshTokenSchema>;

/**
 * The part of a conversation's summary that every member sees alike, as a fresh sync would show it now; the
 * per-member part (read cursor, counts, mute) and the last message have events of their own.
 */
export const conversationUpdateSchema = conversationSchema
  .pick({
    id: true,
    name: true,
    updatedAt: true,
    memberCount: true,
    policy: true,
    archivedAt: true,
    record: true,
    audience: true,
    members: true,
  })
  .meta({ id: 'ConversationUpdate' });
export type ConversationUpdate = z.infer<typeof conversationUpdateSchema>;

/** The `data` of a refused handshake's `connect_error`. */
export const connectErrorDataSchema = z
  .strictObject({
    code: z
      .enum(['unauthorized', 'forbidden', 'rate_limited', 'unavailable', 'too_many_connections'])
      .describe(
        "`too_many_connections`: the user (or everyone at the client's address) already holds as many sockets " +
          'as this node allows; retrying at once cannot succeed until another of them closes.',
      ),
    message: z.string(),
    retryAfterMs: z.number().optional().describe('For `rate_limited`: when a retry may succeed.'),
  })
  .meta({ id: 'ConnectErrorData' });
export type ConnectErrorData = z.infer<typeof connectErrorDataSchema>;

export type { ClientToServerEvents, ServerToClientEvents } from './socket-events.ts';
