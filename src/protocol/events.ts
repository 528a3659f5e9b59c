// Socket.IO events in both directions, typed for the server and for socket.io-client.
import { z } from 'zod';
import type { Ack } from './errors.ts';
import type { Conversation, Message } from './models.ts';
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

/** Events a client emits; each answers through its ack callback. */
export interface ClientToServerEvents {
  'message:send': (payload: SocketSendMessage, ack: (result: Ack<{ message: Message }>) => void) => void;
  'conversation:read': (payload: SocketMarkRead, ack: (result: Ack<{ lastReadSeq: number }>) => void) => void;
}

/** Events the server pushes. */
export interface ServerToClientEvents {
  /** A committed message, to every member's sockets including the sender's other tabs. */
  'message:new': (payload: { message: Message }) => void;
  /** The user became a member of a conversation (created or added): its sockets are already in its room. */
  'conversation:joined': (payload: { conversation: Conversation }) => void;
  /** The user's read cursor moved (on any of their tabs). */
  'conversation:read': (payload: { conversationId: string; lastReadSeq: number }) => void;
}

/** The `data` of a refused handshake's `connect_error`. */
export interface ConnectErrorData {
  code: 'unauthorized';
  message: string;
}
