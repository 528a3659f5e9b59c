// The shapes of Parley's data as clients see them, shared by server, client SDK, widget and tests.

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

export interface UserPresence {
  userId: string;
  status: PresenceStatus;
  /** When the user's last connection ended; null if never seen or online now. */
  lastSeenAt: string | null;
}

export const channelVisibilities = ['public', 'private'] as const;
export type ChannelVisibility = (typeof channelVisibilities)[number];

export interface Organization {
  id: string;
  name: string;
  kind: OrganizationKind;
}

export interface User {
  id: string;
  displayName: string;
  email: string | null;
  orgId: string;
  /** The kind of the user's organisation: what the access rules are written in. */
  orgKind: OrganizationKind;
  role: Role;
}

/** Who may be in a channel: users of these organisations with at least this role. */
export interface ChannelPolicy {
  orgIds: string[];
  minRole: Role;
  /** Public: anyone in scope can find and join it. Private: invite only, invisible to non-members. */
  visibility: ChannelVisibility;
}

export interface Message {
  /** Global id, stable across edits. */
  id: string;
  conversationId: string;
  /** Position in the conversation: strictly increasing from 1 with no gaps, the client's sync cursor. */
  seq: number;
  senderId: string;
  body: string;
  /** ISO-8601 timestamp of the commit. */
  createdAt: string;
  /** The sender's idempotency key: a resend with the same id returns this message. */
  clientMsgId: string;
  /** Members the message mentions (user ids); each counts it separately from plain unread messages. */
  mentions: string[];
  /** `event`: posted by a host back-end about its record ("Order 1234 shipped"), shown apart from people's words. */
  kind: MessageKind;
}

export const messageKinds = ['message', 'event'] as const;
export type MessageKind = (typeof messageKinds)[number];

/** Values of a record's context card: short facts the host shows about its record. */
export type RecordContext = Record<string, string | number | boolean | null>;

/** The host record a record thread is about. */
export interface RecordInfo {
  type: string;
  id: string;
  title: string;
  /** Where the record lives in the host app. */
  url: string | null;
  context: RecordContext;
  status: 'open' | 'closed';
}

export interface ConversationMember {
  id: string;
  displayName: string;
  /** How far this member has read: read receipts ("Seen by …") in direct and group conversations. */
  lastReadSeq: number;
}

export interface Conversation {
  id: string;
  kind: ConversationKind;
  /** Channel or group name; null for direct messages, which clients title after the other member. */
  name: string | null;
  createdAt: string;
  updatedAt: string;
  memberCount: number;
  /** Set for channels only. */
  policy: ChannelPolicy | null;
  /** An archived conversation can be read but not written to. */
  archivedAt: string | null;
  /** Set for record threads and their notes: the host record the conversation is about. */
  record: RecordInfo | null;
  /** Set for notes: the record thread they belong to. */
  parentId: string | null;
  /**
   * The organisations whose people see what is written here, for the kinds scoped by organisation
   * (channels, record threads, notes); null for direct and group conversations, whose members are listed.
   */
  audience: Organization[] | null;
  /** Listed for direct and group conversations only: a channel's membership can be large. */
  members: ConversationMember[] | null;
  /** Highest seq in the conversation (0 when empty). */
  lastSeq: number;
  /** Highest seq the requesting user has read; messages after it from others are unread. */
  lastReadSeq: number;
  unreadCount: number;
  /** Unread messages that mention the user; counted even when the conversation is muted. */
  mentionCount: number;
  /** Muted conversations do not count in the unread badge and do not notify. */
  muted: boolean;
  lastMessage: Message | null;
}

/** The user's totals for a badge: what `GET /api/me/unread` answers. */
export interface UnreadTotals {
  /** Unread messages in conversations that are not muted. */
  unreadCount: number;
  mentionCount: number;
  /** Conversations (not muted) with at least one unread message. */
  conversationCount: number;
}

/** A channel as the channel browser shows it to someone who may join it or is in it. */
export interface ChannelListing {
  id: string;
  name: string;
  policy: ChannelPolicy;
  memberCount: number;
  isMember: boolean;
  archivedAt: string | null;
}
