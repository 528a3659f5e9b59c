// REST payloads: request schemas validated at the server boundary and the response types clients read.
import { z } from 'zod';
import type { Conversation, Message, User } from './models.ts';

const entityId = z.string().min(1).max(200);

/** Client-chosen idempotency key: a uuid or any short opaque token. */
export const clientMsgIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

/**
 * The body is checked for emptiness and length by the domain (the limit is configurable); here only that it
 * is text PostgreSQL can store exactly as sent.
 */
export const messageBodySchema = z
  .string()
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
  .refine((s) => s.isWellFormed(), 'must be well-formed Unicode');

export const sendMessageRequestSchema = z.strictObject({
  clientMsgId: clientMsgIdSchema,
  body: messageBodySchema,
});
export type SendMessageRequest = z.infer<typeof sendMessageRequestSchema>;

export const createConversationRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('direct'), memberIds: z.array(entityId).length(1) }),
  z.strictObject({
    kind: z.literal('group'),
    memberIds: z.array(entityId).min(1).max(50),
    name: z.string().trim().min(1).max(80).optional(),
  }),
  z.strictObject({
    kind: z.literal('channel'),
    name: z.string().trim().min(1).max(80),
    memberIds: z.array(entityId).max(1000).default([]),
  }),
]);
export type CreateConversationRequest = z.infer<typeof createConversationRequestSchema>;

const seqParam = z.coerce.number().int().min(0).max(2_147_483_647);

export const messagePageQuerySchema = z.strictObject({
  before: seqParam.optional(),
  after: seqParam.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type MessagePageQuery = z.infer<typeof messagePageQuerySchema>;

export const markReadRequestSchema = z.strictObject({ seq: seqParam });
export type MarkReadRequest = z.infer<typeof markReadRequestSchema>;

/** Demo mode's login: act as one of the seeded users. */
export const demoLoginRequestSchema = z.strictObject({ userId: entityId });

export const conversationIdParamsSchema = z.strictObject({ id: entityId });

export interface MeResponse {
  user: User;
}
export interface ConversationListResponse {
  conversations: Conversation[];
}
export interface ConversationResponse {
  conversation: Conversation;
}
export interface MessagePage {
  /** Ascending by seq. */
  messages: Message[];
  /** True when more messages exist beyond this page in the direction that was asked for. */
  hasMore: boolean;
}
export interface SendMessageResponse {
  message: Message;
}
export interface MarkReadResponse {
  lastReadSeq: number;
}
