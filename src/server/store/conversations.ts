// Conversations themselves: creating them, finding a direct one by its pair, and the facts access decisions
// need about them (kind, policy, archiving).

import type { BroadcastMentionRule } from '../../protocol/channel-rights.ts';
import type { ChannelPolicy, ConversationKind, Role } from '../../protocol/models.ts';
import type { Sql } from './db.ts';

export interface NewConversation {
  id: string;
  kind: ConversationKind;
  name: string | null;
  /** Set for direct conversations only: the sorted pair of member ids. */
  directKey: string | null;
  /** Set for channels only. */
  policy: ChannelPolicy | null;
  createdBy: string;
}

/** Returns false when the direct key or channel name is already taken: nothing was written. */
export async function insertConversation(sql: Sql, conversation: NewConversation): Promise<boolean> {
  const { policy } = conversation;
  const rows = await sql.query(
    `insert into conversations (id, kind, name, direct_key, created_by, scope_org_ids, min_role, visibility)
     values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing returning id`,
    [
      conversation.id,
      conversation.kind,
      conversation.name,
      conversation.directKey,
      conversation.createdBy,
      policy?.orgIds ?? null,
      policy?.minRole ?? null,
      policy?.visibility ?? null,
    ],
  );
  return rows.length === 1;
}

export async function findDirectConversationId(sql: Sql, directKey: string): Promise<string | null> {
  const [row] = await sql.query<{ id: string }>('select id from conversations where direct_key = $1', [
    directKey,
  ]);
  return row?.id ?? null;
}

/** The facts access decisions need about a conversation, whoever asks. */
export interface ConversationFacts {
  id: string;
  kind: ConversationKind;
  name: string | null;
  policy: ChannelPolicy | null;
  archivedAt: string | null;
  /** Null only for conversations whose creator was never a user. */
  createdBy: string | null;
  /** Who may mention everyone at once (migration 014). */
  broadcastMentions: BroadcastMentionRule;
}

export interface PolicyColumns {
  scope_org_ids: string[] | null;
  min_role: Role | null;
  visibility: ChannelPolicy['visibility'] | null;
}

export function toPolicy(row: PolicyColumns): ChannelPolicy | null {
  if (row.scope_org_ids === null || row.min_role === null || row.visibility === null) return null;
  return { orgIds: row.scope_org_ids, minRole: row.min_role, visibility: row.visibility };
}

export const factColumns =
  'c.id, c.kind, c.name, c.scope_org_ids, c.min_role, c.visibility, c.archived_at, c.created_by, c.broadcast_mentions';

export interface FactRow extends PolicyColumns {
  id: string;
  kind: ConversationKind;
  name: string | null;
  archived_at: Date | null;
  created_by: string | null;
  broadcast_mentions: BroadcastMentionRule;
}

export function toFacts(row: FactRow): ConversationFacts {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    policy: toPolicy(row),
    archivedAt: row.archived_at?.toISOString() ?? null,
    createdBy: row.created_by,
    broadcastMentions: row.broadcast_mentions,
  };
}

export async function findConversationFacts(
  sql: Sql,
  conversationId: string,
): Promise<ConversationFacts | null> {
  const [row] = await sql.query<FactRow>(`select ${factColumns} from conversations c where c.id = $1`, [
    conversationId,
  ]);
  return row ? toFacts(row) : null;
}

/** The conversations a user is a member of, with what is needed to re-check their access. */
export async function listMembershipFacts(sql: Sql, userId: string): Promise<ConversationFacts[]> {
  const rows = await sql.query<FactRow>(
    `select ${factColumns} from conversation_members m join conversations c on c.id = m.conversation_id
     where m.user_id = $1`,
    [userId],
  );
  return rows.map(toFacts);
}
