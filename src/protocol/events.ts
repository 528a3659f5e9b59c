// Socket.IO events in both directions, typed for the server and for socket.io-client.
import { z } from 'zod';
import type { Ack } from './errors.ts';
import type { ChannelPolicy, Conversation, Message, RecordInfo, User, UserPresence } from './models.ts';
import type { MessagePage } from './rest.ts';
import { clientMsgIdSchema, mentionsSchema, messageBodySchema } from './rest.ts';
import { SYNC_MAX_CURSORS } from './sync-limits.ts';

export const socketSendMessageSchema = z.strictObject({
  conversationId: z.string().min(1).max(200),
  clientMsgId: clientMsgIdSchema,
  body: messageBodySchema,
  mentions: mentionsSchema,
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
export interface ConversationCatchUp {
  conversationId: string;
  /** Ascending by seq, starting right after the cursor (or, on reset, the newest page). */
  messages: Message[];
  /** More messages follow this page: ask `messages:page` with `after` = the last seq. */
  hasMore: boolean;
  /**
   * The cursor cannot be continued (it is ahead of the server, or too far behind to catch up message by
   * message): drop what is held for this conversation and start again from `messages`, the newest page.
   */
  reset: boolean;
}

export interface SyncResponse {
  /** The connected user, as Parley knows them now. */
  me: User;
  /** Every conversation the user is in, as they see it now. */
  conversations: Conversation[];
  /** For each cursor of a conversation that has news. */
  catchUp: ConversationCatchUp[];
  /** Cursors of conversations the user is no longer in (or that never existed): forget them. */
  removed: string[];
  /** Presence of the people the user shares direct and group conversations with. */
  presence: UserPresence[];
}

export const socketTypingSchema = z.strictObject({
  conversationId: z.string().min(1).max(200),
  typing: z.boolean(),
});
export type SocketTyping = z.infer<typeof socketTypingSchema>;

export const socketPresenceSchema = z.strictObject({ status: z.enum(['online', 'away']) });
export type SocketPresence = z.infer<typeof socketPresenceSchema>;

export const socketRefreshTokenSchema = z.strictObject({ token: z.string().min(1).max(8192) });
export type SocketRefreshToken = z.infer<typeof socketRefreshTokenSchema>;

/** Events a client emits; each answers through its ack callback. */
export interface ClientToServerEvents {
  'message:send': (payload: SocketSendMessage, ack: (result: Ack<{ message: Message }>) => void) => void;
  'conversation:read': (payload: SocketMarkRead, ack: (result: Ack<{ lastReadSeq: number }>) => void) => void;
  /** Everything missed since the given cursors; answered only once this socket receives live events. */
  sync: (payload: SyncRequest, ack: (result: Ack<SyncResponse>) => void) => void;
  /** One page of history, as `GET /api/conversations/:id/messages`. */
  'messages:page': (payload: SocketMessagePage, ack: (result: Ack<MessagePage>) => void) => void;
  /** The user started or stopped typing; relayed to the conversation's other members, never stored. */
  typing: (payload: SocketTyping, ack?: (result: Ack<object>) => void) => void;
  /** This connection is active (`online`) or idle (`away`: no input, hidden tab, or set by hand). */
  'presence:set': (payload: SocketPresence, ack?: (result: Ack<object>) => void) => void;
  /** A fresh token for this connection, before the current one expires; the socket stays connected. */
  'auth:refresh': (payload: SocketRefreshToken, ack: (result: Ack<{ expiresAt: string }>) => void) => void;
}

/** Events the server pushes. */
export interface ServerToClientEvents {
  /** A committed message, to every member's sockets including the sender's other tabs. */
  'message:new': (payload: { message: Message }) => void;
  /** The user became a member of a conversation (created or added): its sockets are already in its room. */
  'conversation:joined': (payload: { conversation: Conversation }) => void;
  /** The user's read cursor moved (on any of their tabs). */
  'conversation:read': (payload: {
    conversationId: string;
    lastReadSeq: number;
    mentionCount: number;
  }) => void;
  /** The user muted or unmuted the conversation (on any of their tabs or devices). */
  'conversation:muted': (payload: { conversationId: string; muted: boolean }) => void;
  /** The user is no longer a member (left, removed, or out of scope): its sockets have left its room. */
  'conversation:left': (payload: { conversationId: string }) => void;
  /** A conversation the user is in was renamed, archived or re-scoped. */
  'conversation:updated': (payload: { conversation: ConversationUpdate }) => void;
  /** A user who shares a conversation with this one came online, went idle or went offline. */
  presence: (payload: UserPresence) => void;
  /** Someone in the conversation is typing (stops on `typing: false` or after 5 s without a refresh). */
  typing: (payload: { conversationId: string; userId: string; typing: boolean }) => void;
  /** In a direct or group conversation: a member read up to `lastReadSeq` (read receipts). */
  'conversation:read-by': (payload: { conversationId: string; userId: string; lastReadSeq: number }) => void;
  /** The connection's token expires soon: send `auth:refresh` with a new one or be disconnected at expiry. */
  'auth:expiring': (payload: { expiresAt: string }) => void;
}

export interface ConversationUpdate {
  id: string;
  name: string | null;
  policy: ChannelPolicy | null;
  archivedAt: string | null;
  /** Record threads and their notes: the record as the host last declared it (title, link, context card). */
  record: RecordInfo | null;
}

/** The `data` of a refused handshake's `connect_error`. */
export interface ConnectErrorData {
  /**
   * `too_many_connections`: the user (or everyone at the client's address) already holds as many sockets as
   * this node allows; retrying at once cannot succeed until another of them closes.
   */
  code: 'unauthorized' | 'forbidden' | 'rate_limited' | 'unavailable' | 'too_many_connections';
  message: string;
  /** For `rate_limited`: when a retry may succeed. */
  retryAfterMs?: number;
}
