// Socket.IO events in both directions, typed for the server and for socket.io-client.
import { z } from 'zod';
import type { Ack } from './errors.ts';
import type { ChannelPolicy, Conversation, Message } from './models.ts';
import { clientMsgIdSchema, messageBodySchema } from './rest.ts';

export const socketSendMessageSchema = z.strictObject({
  conversationId: z.string().min(1).max(200),
  clientMsgId: clientMsgIdSchema,
  body: messageBodySchema,
});
export type SocketSendMessage = z.infer<typeof socketSendMessageSchema>;

export const socketMarkReadSchema = z.strictObject({
  conversationId: z.string().min(1).max(200),
  seq: z.number().int().min(0).max(2_147_483_647),
});
export type SocketMarkRead = z.infer<typeof socketMarkReadSchema>;

export const socketRefreshTokenSchema = z.strictObject({ token: z.string().min(1).max(8192) });
export type SocketRefreshToken = z.infer<typeof socketRefreshTokenSchema>;

/** Events a client emits; each answers through its ack callback. */
export interface ClientToServerEvents {
  'message:send': (payload: SocketSendMessage, ack: (result: Ack<{ message: Message }>) => void) => void;
  'conversation:read': (payload: SocketMarkRead, ack: (result: Ack<{ lastReadSeq: number }>) => void) => void;
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
  'conversation:read': (payload: { conversationId: string; lastReadSeq: number }) => void;
  /** The user is no longer a member (left, removed, or out of scope): its sockets have left its room. */
  'conversation:left': (payload: { conversationId: string }) => void;
  /** A conversation the user is in was renamed, archived or re-scoped. */
  'conversation:updated': (payload: { conversation: ConversationUpdate }) => void;
  /** The connection's token expires soon: send `auth:refresh` with a new one or be disconnected at expiry. */
  'auth:expiring': (payload: { expiresAt: string }) => void;
}

export interface ConversationUpdate {
  id: string;
  name: string | null;
  policy: ChannelPolicy | null;
  archivedAt: string | null;
}

/** The `data` of a refused handshake's `connect_error`. */
export interface ConnectErrorData {
  code: 'unauthorized' | 'forbidden' | 'rate_limited';
  message: string;
}
