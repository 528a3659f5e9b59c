// REST payloads: request schemas validated at the server boundary and the response types clients read.
import { z } from 'zod';
import { httpUrlSchema } from './http-url.ts';
import {
  type ChannelListing,
  type Conversation,
  type ConversationMember,
  channelVisibilities,
  type Message,
  type Organization,
  organizationKinds,
  roles,
  type UnreadTotals,
  type User,
  type UserPresence,
} from './models.ts';

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

/** Mentioned user ids; the server keeps those who are members of the conversation. */
export const mentionsSchema = z.array(z.string().min(1).max(200)).max(50).default([]);

export const sendMessageRequestSchema = z.strictObject({
  clientMsgId: clientMsgIdSchema,
  body: messageBodySchema,
  mentions: mentionsSchema,
});
export type SendMessageRequest = z.infer<typeof sendMessageRequestSchema>;

export const channelPolicySchema = z.strictObject({
  orgIds: z.array(entityId).min(1).max(100),
  minRole: z.enum(roles),
  visibility: z.enum(channelVisibilities),
});
const channelPolicyChangeSchema = channelPolicySchema.partial();

const channelNameSchema = z.string().trim().min(1).max(80);

export const createChannelRequestSchema = z.strictObject({
  kind: z.literal('channel'),
  name: channelNameSchema,
  memberIds: z.array(entityId).max(1000).default([]),
  /** Missing fields default to: the organisations of the creator and members, any role, public. */
  policy: channelPolicyChangeSchema.optional(),
});
export type CreateChannelRequest = z.infer<typeof createChannelRequestSchema>;

export const createConversationRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('direct'), memberIds: z.array(entityId).length(1) }),
  z.strictObject({
    kind: z.literal('group'),
    memberIds: z.array(entityId).min(1).max(50),
    name: z.string().trim().min(1).max(80).optional(),
  }),
  createChannelRequestSchema,
]);

export const addMembersRequestSchema = z.strictObject({ userIds: z.array(entityId).min(1).max(1000) });
export const memberParamsSchema = z.strictObject({ id: entityId, userId: entityId });

export const updateChannelRequestSchema = z
  .strictObject({
    name: channelNameSchema.optional(),
    policy: channelPolicyChangeSchema.optional(),
    archived: z.boolean().optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, 'nothing to change');
export type UpdateChannelRequest = z.infer<typeof updateChannelRequestSchema>;

export const updateOrganizationRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    kind: z.enum(organizationKinds).optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, 'nothing to change');

export const organizationParamsSchema = z.strictObject({ id: entityId });
export type CreateConversationRequest = z.infer<typeof createConversationRequestSchema>;

const seqParam = z.coerce.number().int().min(0).max(2_147_483_647);

export const messagePageQuerySchema = z.strictObject({
  before: seqParam.optional(),
  after: seqParam.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type MessagePageQuery = z.infer<typeof messagePageQuerySchema>;

export const markReadRequestSchema = z.strictObject({ seq: seqParam });
export const muteRequestSchema = z.strictObject({ muted: z.boolean() });
export const receiptsQuerySchema = z.strictObject({ seq: seqParam });
export const presenceQuerySchema = z.strictObject({
  userIds: z
    .string()
    .transform((value) => value.split(',').filter(Boolean))
    .pipe(z.array(entityId).min(1).max(500)),
});
export type MarkReadRequest = z.infer<typeof markReadRequestSchema>;

/** Demo mode's login: act as one of the seeded users. */
export const demoLoginRequestSchema = z.strictObject({ userId: entityId });
export const demoOrderParamsSchema = z.strictObject({
  id: z.string().regex(/^\d{1,10}$/, 'an order number'),
});
export const demoOrderStatusRequestSchema = z.strictObject({
  status: z.enum(['received', 'packed', 'shipped', 'delivered']),
});

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
/** `POST /api/records/open`: the record's thread, and the notes of the user's organisation when it keeps any. */
export interface OpenRecordResponse {
  conversation: Conversation;
  notes: Conversation | null;
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
export interface MembersResponse {
  /** Ids that became members (those already in are left out). */
  added: string[];
}
export interface ChannelListResponse {
  channels: ChannelListing[];
}
export interface UserListResponse {
  users: User[];
}
export interface OrganizationListResponse {
  organizations: Organization[];
}
export interface OrganizationResponse {
  organization: Organization;
}
export interface UnreadResponse extends UnreadTotals {}
export interface ReceiptsResponse {
  /** Members other than the sender who have read the message. */
  readCount: number;
  /** Who they are, in direct and group conversations; null in channels. */
  readers: ConversationMember[] | null;
}
export interface PresenceResponse {
  presence: UserPresence[];
}

const recordContextSchema = z
  .record(z.string().min(1).max(40), z.union([z.string().max(200), z.number(), z.boolean(), z.null()]))
  .refine((context) => Object.keys(context).length <= 20, 'at most 20 context fields');

export const recordParamsSchema = z.strictObject({
  type: z.string().regex(/^[a-z][a-z0-9_-]{0,49}$/, 'lowercase letters, digits, - and _'),
  id: z.string().min(1).max(200),
});

/** Server-to-server: what the host says about its record and who may see its thread. */
export const declareRecordRequestSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  url: httpUrlSchema.nullable().default(null),
  context: recordContextSchema.default({}),
  orgIds: z.array(entityId).min(1).max(50),
  status: z.enum(['open', 'closed']).optional(),
  /** Whether new activity reopens a closed thread; without it a closed thread is read-only. */
  reopenOnActivity: z.boolean().optional(),
});

export const postRecordEventRequestSchema = z.strictObject({
  body: messageBodySchema,
  /** Lets the host retry a post safely; generated when absent. */
  clientMsgId: clientMsgIdSchema.optional(),
});

export const openRecordRequestSchema = z.strictObject({
  type: recordParamsSchema.shape.type,
  id: recordParamsSchema.shape.id,
  /** A record grant the host signed (docs/records.md); optional when the host declared the record. */
  grant: z.string().min(1).max(8192).optional(),
});

/** What a host back-end's API key may do: declare and read records, post events, export dossiers. */
export const apiKeyScopes = ['records:write', 'records:post', 'records:read'] as const;

export const createApiKeyRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(apiKeyScopes)).min(1),
});
export const apiKeyParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });
