// REST payloads: request schemas validated at the server boundary and the response schemas (with their
// inferred types) that clients read and the API reference is generated from.
import { z } from 'zod';
import { attachmentIdSchema } from './attachments.ts';
import { broadcastMentionRules } from './channel-rights.ts';
import { httpUrlSchema } from './http-url.ts';
import {
  channelListingSchema,
  channelVisibilities,
  conversationMemberSchema,
  conversationSchema,
  messageSchema,
  organizationKinds,
  organizationSchema,
  recordInfoSchema,
  roles,
  unreadTotalsSchema,
  userPresenceSchema,
  userSchema,
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

/** Message ids are the store's numbers, as decimal strings. */
export const messageIdSchema = z.string().regex(/^[1-9]\d{0,17}$/, 'a message id');

/** The message a send replies to: one of the same conversation. */
export const replyToIdSchema = messageIdSchema.optional();

/** At most this many files on one message. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;

/** Uploads of the sender's to the conversation (`POST /api/conversations/:id/attachments`) the message carries. */
export const attachmentIdsSchema = z
  .array(attachmentIdSchema)
  .max(MAX_ATTACHMENTS_PER_MESSAGE)
  .transform((ids) => [...new Set(ids)])
  .default([]);

/** `@channel`: every member is mentioned; `@here`: every member online now. */
export const broadcastSchema = z
  .enum(['channel', 'here'])
  .optional()
  .describe('Mentions every member (`channel`) or every member online now (`here`), where allowed.');

export const sendMessageRequestSchema = z.strictObject({
  clientMsgId: clientMsgIdSchema,
  body: messageBodySchema,
  mentions: mentionsSchema,
  replyToId: replyToIdSchema,
  attachmentIds: attachmentIdsSchema,
  broadcast: broadcastSchema,
});
export type SendMessageRequest = z.infer<typeof sendMessageRequestSchema>;

export const channelPolicyRequestSchema = z.strictObject({
  orgIds: z.array(entityId).min(1).max(100),
  minRole: z.enum(roles),
  visibility: z.enum(channelVisibilities),
});
const channelPolicyChangeSchema = channelPolicyRequestSchema.partial();

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
    broadcastMentions: z
      .enum(broadcastMentionRules)
      .optional()
      .describe('Who may mention everyone at once (`@channel`, `@here`).'),
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

export const meResponseSchema = z.strictObject({ user: userSchema });
export type MeResponse = z.infer<typeof meResponseSchema>;

export const conversationListResponseSchema = z.strictObject({
  conversations: z.array(conversationSchema).describe('Most recently active first.'),
});
export type ConversationListResponse = z.infer<typeof conversationListResponseSchema>;

export const conversationResponseSchema = z.strictObject({ conversation: conversationSchema });
export type ConversationResponse = z.infer<typeof conversationResponseSchema>;

/** `POST /api/records/open`: the record's thread, and the notes of the user's organisation when it keeps any. */
export const openRecordResponseSchema = z.strictObject({
  conversation: conversationSchema,
  notes: conversationSchema.nullable(),
});
export type OpenRecordResponse = z.infer<typeof openRecordResponseSchema>;

export const messagePageSchema = z.strictObject({
  messages: z.array(messageSchema).describe('Ascending by seq.'),
  hasMore: z
    .boolean()
    .describe('True when more messages exist beyond this page in the direction that was asked for.'),
});
export type MessagePage = z.infer<typeof messagePageSchema>;

export const sendMessageResponseSchema = z.strictObject({ message: messageSchema });
export type SendMessageResponse = z.infer<typeof sendMessageResponseSchema>;

export const markReadResponseSchema = z.strictObject({ lastReadSeq: z.number().int() });
export type MarkReadResponse = z.infer<typeof markReadResponseSchema>;

export const muteResponseSchema = z.strictObject({ muted: z.boolean() });
export type MuteResponse = z.infer<typeof muteResponseSchema>;

export const membersResponseSchema = z.strictObject({
  added: z.array(z.string()).describe('Ids that became members (those already in are left out).'),
});
export type MembersResponse = z.infer<typeof membersResponseSchema>;

export const channelListResponseSchema = z.strictObject({ channels: z.array(channelListingSchema) });
export type ChannelListResponse = z.infer<typeof channelListResponseSchema>;

export const channelResponseSchema = z.strictObject({ channel: channelListingSchema });
export type ChannelResponse = z.infer<typeof channelResponseSchema>;

export const userListResponseSchema = z.strictObject({ users: z.array(userSchema) });
export type UserListResponse = z.infer<typeof userListResponseSchema>;

export const organizationListResponseSchema = z.strictObject({ organizations: z.array(organizationSchema) });
export type OrganizationListResponse = z.infer<typeof organizationListResponseSchema>;

export const organizationResponseSchema = z.strictObject({ organization: organizationSchema });
export type OrganizationResponse = z.infer<typeof organizationResponseSchema>;

export const unreadResponseSchema = unreadTotalsSchema;
export type UnreadResponse = z.infer<typeof unreadResponseSchema>;

export const receiptsResponseSchema = z.strictObject({
  readCount: z.number().int().describe('Members other than the sender who have read the message.'),
  readers: z
    .array(conversationMemberSchema)
    .nullable()
    .describe('Who they are, in direct and group conversations; null in channels.'),
});
export type ReceiptsResponse = z.infer<typeof receiptsResponseSchema>;

export const presenceResponseSchema = z.strictObject({ presence: z.array(userPresenceSchema) });
export type PresenceResponse = z.infer<typeof presenceResponseSchema>;

const recordContextInputSchema = z
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
  context: recordContextInputSchema.default({}),
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
export const apiKeyScopes = ['records:write', 'records:post', 'records:read', 'email:inbound'] as const;

export const createApiKeyRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(apiKeyScopes)).min(1),
});
export const apiKeyParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });

/** A record as the host declared it, with the thread Parley keeps for it and who may see that thread. */
export const hostRecordSchema = recordInfoSchema.extend({
  conversationId: z.string().describe("The record thread's conversation id."),
  orgIds: z.array(z.string()).describe('The organisations whose people may open the thread.'),
  reopenOnActivity: z.boolean(),
  scopeIssuedAt: z
    .number()
    .int()
    .describe('Unix seconds of the statement that last set `orgIds` (a declaration or a grant).'),
});
export const hostRecordResponseSchema = z.strictObject({ record: hostRecordSchema });
export type HostRecordResponse = z.infer<typeof hostRecordResponseSchema>;

export const apiKeySchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(apiKeyScopes)),
    createdBy: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof apiKeySchema>;
export const apiKeyListResponseSchema = z.strictObject({ apiKeys: z.array(apiKeySchema) });
/** Only the creation answer carries the key itself (`pk_<id>.<secret>`); it is never shown again. */
export const createdApiKeyResponseSchema = z.strictObject({ apiKey: apiKeySchema, key: z.string() });
