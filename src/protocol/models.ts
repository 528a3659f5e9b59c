// The shapes of Parley's data as clients see them, shared by server, client SDK, widget and tests: zod
// schemas (which the API reference is generated from) with the TypeScript types inferred from them.
import { z } from 'zod';
import { attachmentSchema } from './attachments.ts';

export const organizationKinds = ['internal', 'client', 'vendor'] as const;
export type OrganizationKind = (typeof organizationKinds)[number];

export const roles = ['admin', 'member', 'viewer'] as const;
export type Role = (typeof roles)[number];

/**
 * `notes`: a record thread's internal notes, seen only by one organisation's people (docs/records.md); it
 * has its own seq, so nobody outside that organisation sees a gap where a note was written.
 */
export const conversationKinds = ['direct', 'group', 'channel', 'record', 'notes'] as const;
export type ConversationKind = (typeof conversationKinds)[number];

export const presenceStatuses = ['online', 'away', 'offline'] as const;
export type PresenceStatus = (typeof presenceStatuses)[number];

export const channelVisibilities = ['public', 'private'] as const;
export type ChannelVisibility = (typeof channelVisibilities)[number];

/**
 * `change`: an entry of the stream that changed an earlier message (an edit, a delete, a reaction); it takes
 * a seq like any message so that clients receive changes in order and exactly once, and is never shown or
 * counted as unread itself. Clients must skip kinds they do not know, advancing their cursor past them.
 */
export const messageKinds = ['message', 'event', 'change'] as const;
export type MessageKind = (typeof messageKinds)[number];

export const messageChangeTypes = [
  'message.edited',
  'message.deleted',
  'reaction.added',
  'reaction.removed',
] as const;
export type MessageChangeType = (typeof messageChangeTypes)[number];

/** An ISO-8601 timestamp as Parley writes them. */
const timestamp = z.string().describe('ISO-8601 timestamp');

export const userPresenceSchema = z
  .strictObject({
    userId: z.string(),
    status: z.enum(presenceStatuses),
    lastSeenAt: timestamp
      .nullable()
      .describe("When the user's last connection ended; null if never seen or online now."),
  })
  .meta({ id: 'UserPresence' });
export type UserPresence = z.infer<typeof userPresenceSchema>;

export const organizationSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    kind: z.enum(organizationKinds),
  })
  .meta({ id: 'Organization' });
export type Organization = z.infer<typeof organizationSchema>;

export const userSchema = z
  .strictObject({
    id: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    orgId: z.string(),
    orgKind: z
      .enum(organizationKinds)
      .describe("The kind of the user's organisation: what the access rules are written in."),
    role: z.enum(roles),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

/** Who may be in a channel: users of these organisations with at least this role. */
export const channelPolicySchema = z
  .strictObject({
    orgIds: z.array(z.string()),
    minRole: z.enum(roles),
    visibility: z
      .enum(channelVisibilities)
      .describe(
        'Public: anyone in scope can find and join it. Private: invite only, invisible to non-members.',
      ),
  })
  .meta({ id: 'ChannelPolicy' });
export type ChannelPolicy = z.infer<typeof channelPolicySchema>;

export const reactionSchema = z
  .strictObject({
    emoji: z.string(),
    count: z.number().int(),
    userIds: z.array(z.string()).describe('Who reacted, earliest first.'),
  })
  .meta({ id: 'Reaction' });
export type Reaction = z.infer<typeof reactionSchema>;

/** What a reply shows of the message it answers, in that message's current state. */
export const replyQuoteSchema = z
  .strictObject({
    messageId: z.string(),
    seq: z.number().int().describe('Where the original is in the conversation: load history back to it.'),
    senderId: z.string(),
    excerpt: z.string().describe("The start of the original's current text; empty once it is deleted."),
    editedAt: timestamp.nullable(),
    deleted: z.boolean(),
  })
  .meta({ id: 'ReplyQuote' });
export type ReplyQuote = z.infer<typeof replyQuoteSchema>;

const messageFields = {
  id: z.string().describe('Global id, stable across edits.'),
  conversationId: z.string(),
  seq: z
    .number()
    .int()
    .describe(
      "Position in the conversation: strictly increasing from 1 with no gaps, the client's sync cursor.",
    ),
  senderId: z.string().describe('For a change: who made it.'),
  body: z.string().describe('The current text; empty once deleted, and for changes.'),
  createdAt: timestamp.describe('When the message was committed.'),
  clientMsgId: z
    .string()
    .describe("The sender's idempotency key: a resend with the same id returns this message."),
  mentions: z
    .array(z.string())
    .describe(
      'Members the message mentions (user ids); each counts it separately from plain unread messages. For ' +
        'an edit: only those it newly mentions.',
    ),
  kind: z
    .enum(messageKinds)
    .describe(
      '`event`: posted by a host back-end about its record ("Order 1234 shipped"), shown apart from people\'s ' +
        'words. `change`: an edit, delete or reaction of an earlier message (`change`).',
    ),
  editedAt: timestamp.nullable().describe('When the text was last edited.'),
  deletedAt: timestamp.nullable().describe('Deleted for everyone: show a tombstone.'),
  revisionSeq: z
    .number()
    .int()
    .describe('The seq of the last change applied to this message (its own seq if none): newer state wins.'),
  replyTo: replyQuoteSchema.nullable().describe('The message this one replies to.'),
  reactions: z.array(reactionSchema).describe('By first reaction, earliest first.'),
  attachments: z.array(attachmentSchema).describe('Files the message carries, in the order attached.'),
};

/** A message in its current state, as a change carries it. */
export const changedMessageSchema = z
  .strictObject({ ...messageFields, change: z.null() })
  .meta({ id: 'ChangedMessage' });
export type ChangedMessage = z.infer<typeof changedMessageSchema>;

export const messageChangeSchema = z
  .strictObject({
    type: z.enum(messageChangeTypes),
    messageId: z.string().describe('The message changed.'),
    emoji: z.string().nullable().describe('For reactions: which one.'),
    target: changedMessageSchema.describe(
      'The changed message in its current state (newer than the change when read later from history): ' +
        'replace the held copy when its `revisionSeq` is higher, and update quotes of it.',
    ),
  })
  .meta({ id: 'MessageChange' });
export type MessageChange = z.infer<typeof messageChangeSchema>;

export const messageSchema = z
  .strictObject({
    ...messageFields,
    change: messageChangeSchema.nullable().describe('Set on entries of kind `change` only.'),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof messageSchema>;

export const recordContextSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .describe("A record's context card: short facts the host shows about its record.");
/** Values of a record's context card: short facts the host shows about its record. */
export type RecordContext = z.infer<typeof recordContextSchema>;

/** The host record a record thread is about. */
export const recordInfoSchema = z
  .strictObject({
    type: z.string(),
    id: z.string(),
    title: z.string(),
    url: z.string().nullable().describe('Where the record lives in the host app.'),
    context: recordContextSchema,
    status: z.enum(['open', 'closed']),
  })
  .meta({ id: 'RecordInfo' });
export type RecordInfo = z.infer<typeof recordInfoSchema>;

export const conversationMemberSchema = z
  .strictObject({
    id: z.string(),
    displayName: z.string(),
    lastReadSeq: z
      .number()
      .int()
      .describe(
        'How far this member has read: read receipts ("Seen by …") in direct and group conversations.',
      ),
  })
  .meta({ id: 'ConversationMember' });
export type ConversationMember = z.infer<typeof conversationMemberSchema>;

export const conversationSchema = z
  .strictObject({
    id: z.string(),
    kind: z.enum(conversationKinds),
    name: z
      .string()
      .nullable()
      .describe(
        'Channel or group name; null for direct messages, which clients title after the other member.',
      ),
    createdAt: timestamp,
    updatedAt: timestamp,
    memberCount: z.number().int(),
    policy: channelPolicySchema.nullable().describe('Set for channels only.'),
    archivedAt: timestamp.nullable().describe('An archived conversation can be read but not written to.'),
    record: recordInfoSchema
      .nullable()
      .describe('Set for record threads and their notes: the host record the conversation is about.'),
    parentId: z.string().nullable().describe('Set for notes: the record thread they belong to.'),
    audience: z
      .array(organizationSchema)
      .nullable()
      .describe(
        'The organisations whose people see what is written here, for the kinds scoped by organisation ' +
          '(channels, record threads, notes); null for direct and group conversations, whose members are listed.',
      ),
    members: z
      .array(conversationMemberSchema)
      .nullable()
      .describe("Listed for direct and group conversations only: a channel's membership can be large."),
    lastSeq: z.number().int().describe('Highest seq in the conversation (0 when empty).'),
    lastReadSeq: z
      .number()
      .int()
      .describe('Highest seq the requesting user has read; messages after it from others are unread.'),
    unreadCount: z.number().int(),
    mentionCount: z
      .number()
      .int()
      .describe('Unread messages that mention the user; counted even when the conversation is muted.'),
    muted: z.boolean().describe('Muted conversations do not count in the unread badge and do not notify.'),
    lastMessage: messageSchema.nullable(),
  })
  .meta({ id: 'Conversation' });
export type Conversation = z.infer<typeof conversationSchema>;

/** The user's totals for a badge: what `GET /api/me/unread` answers. */
export const unreadTotalsSchema = z
  .strictObject({
    unreadCount: z.number().int().describe('Unread messages in conversations that are not muted.'),
    mentionCount: z.number().int(),
    conversationCount: z
      .number()
      .int()
      .describe('Conversations (not muted) with at least one unread message.'),
  })
  .meta({ id: 'UnreadTotals' });
export type UnreadTotals = z.infer<typeof unreadTotalsSchema>;

/** A channel as the channel browser shows it to someone who may join it or is in it. */
export const channelListingSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    policy: channelPolicySchema,
    memberCount: z.number().int(),
    isMember: z.boolean(),
    archivedAt: timestamp.nullable(),
  })
  .meta({ id: 'ChannelListing' });
export type ChannelListing = z.infer<typeof channelListingSchema>;
