// The shapes of Parley's data as clients see them, shared by server, client SDK, widget and tests.

export const organizationKinds = ['internal', 'client', 'vendor'] as const;
export type OrganizationKind = (typeof organizationKinds)[number];

export const roles = ['admin', 'member', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const conversationKinds = ['direct', 'group', 'channel', 'record'] as const;
export type ConversationKind = (typeof conversationKinds)[number];

export interface User {
  id: string;
  displayName: string;
  email: string | null;
  orgId: string;
  role: Role;
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
}

export interface ConversationMember {
  id: string;
  displayName: string;
}

export interface Conversation {
  id: string;
  kind: ConversationKind;
  /** Channel or group name; null for direct messages, which clients title after the other member. */
  name: string | null;
  createdAt: string;
  updatedAt: string;
  memberCount: number;
  /** Listed for direct and group conversations only: a channel's membership can be large. */
  members: ConversationMember[] | null;
  /** Highest seq in the conversation (0 when empty). */
  lastSeq: number;
  /** Highest seq the requesting user has read; messages after it from others are unread. */
  lastReadSeq: number;
  unreadCount: number;
  lastMessage: Message | null;
}
