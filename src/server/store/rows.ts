// Row-to-protocol mapping shared by the store modules: one place that knows column names and types.
import type { Message, User } from '../../protocol/models.ts';

export interface MessageRow {
  id: number;
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_msg_id: string;
  body: string;
  created_at: Date;
  mentions: string[];
  kind: Message['kind'];
}

export const messageColumns =
  'id, conversation_id, seq, sender_id, client_msg_id, body, created_at, mentions, kind';

export function toMessage(row: MessageRow): Message {
  return {
    id: String(row.id),
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    clientMsgId: row.client_msg_id,
    mentions: row.mentions,
    kind: row.kind,
  };
}

export interface UserRow {
  id: string;
  display_name: string;
  email: string | null;
  org_id: string;
  org_kind: User['orgKind'];
  role: User['role'];
}

/** Selects users with their organisation's kind; the query must join `organizations o` to `users u`. */
export const userColumns = 'u.id, u.display_name, u.email, u.org_id, o.kind as org_kind, u.role';
export const usersWithOrganizations = 'users u join organizations o on o.id = u.org_id';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    orgId: row.org_id,
    orgKind: row.org_kind,
    role: row.role,
  };
}
