// Row-to-protocol mapping shared by the store modules: one place that knows column names and types.

import type { Message, MessageChangeType, User } from '../../protocol/models.ts';
import { quoteOf } from '../../protocol/quotes.ts';

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
  edited_at: Date | null;
  deleted_at: Date | null;
  revision_seq: number;
  change_type: MessageChangeType | null;
  target_id: number | null;
  emoji: string | null;
  reply_id: number | null;
  reply_seq: number | null;
  reply_sender_id: string | null;
  reply_body: string | null;
  reply_edited_at: Date | null;
  reply_deleted_at: Date | null;
  /** Grouped by emoji, by first reaction. */
  reactions: { emoji: string; userIds: string[] }[];
  /** Whether it carries files: only then are its attachments read. */
  has_attachments: boolean;
}

/** The columns of `MessageRow`, reading `messages m` with the message it replies to joined as `r`. */
export const messageColumns = `m.id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.body, m.created_at,
  m.mentions, m.kind, m.edited_at, m.deleted_at, coalesce(m.revision_seq, m.seq) as revision_seq, m.change_type,
  m.target_id, m.emoji, r.id as reply_id, r.seq as reply_seq, r.sender_id as reply_sender_id, r.body as reply_body,
  r.edited_at as reply_edited_at, r.deleted_at as reply_deleted_at, m.attachment_names <> '' as has_attachments,
  (select coalesce(json_agg(json_build_object('emoji', x.emoji, 'userIds', x.user_ids)
     order by x.first_at, x.emoji), '[]'::json)
   from (select emoji, array_agg(user_id order by created_at, user_id) as user_ids, min(created_at) as first_at
     from message_reactions where message_id = m.id group by emoji) x) as reactions`;

/** What `messageColumns` reads from: a message and the one it replies to. */
export const messagesWithReplies = 'messages m left join messages r on r.id = m.reply_to_id';

/**
 * The message as stored; a change entry's `change.target` is filled by the caller
 * (store/messages.ts, `withChangeTargets`), which reads all the targets of a page at once.
 */
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
    editedAt: row.edited_at?.toISOString() ?? null,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    revisionSeq: row.revision_seq,
    replyTo:
      row.reply_id === null
        ? null
        : quoteOf({
            id: String(row.reply_id),
            seq: row.reply_seq ?? 0,
            senderId: row.reply_sender_id ?? '',
            body: row.reply_body ?? '',
            editedAt: row.reply_edited_at?.toISOString() ?? null,
            deletedAt: row.reply_deleted_at?.toISOString() ?? null,
          }),
    reactions: row.reactions.map((reaction) => ({
      emoji: reaction.emoji,
      count: reaction.userIds.length,
      userIds: reaction.userIds,
    })),
    // Filled by the caller, for all the messages it read at once (store/messages.ts).
    attachments: [],
    change: null,
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
