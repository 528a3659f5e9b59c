// Conversations, their members and each member's read cursor.
import type { Conversation, ConversationKind, ConversationMember } from '../../protocol/models.ts';
import type { Sql } from './db.ts';
import { type MessageRow, toMessage } from './rows.ts';

export interface NewConversation {
  id: string;
  kind: ConversationKind;
  name: string | null;
  /** Set for direct conversations only: the sorted pair of member ids. */
  directKey: string | null;
  createdBy: string;
}

/** Returns false when the direct key or channel name is already taken: nothing was written. */
export async function insertConversation(sql: Sql, conversation: NewConversation): Promise<boolean> {
  const rows = await sql.query(
    `insert into conversations (id, kind, name, direct_key, created_by) values ($1, $2, $3, $4, $5)
     on conflict do nothing returning id`,
    [conversation.id, conversation.kind, conversation.name, conversation.directKey, conversation.createdBy],
  );
  return rows.length === 1;
}

export async function findDirectConversationId(sql: Sql, directKey: string): Promise<string | null> {
  const [row] = await sql.query<{ id: string }>('select id from conversations where direct_key = $1', [
    directKey,
  ]);
  return row?.id ?? null;
}

export async function addMembers(
  sql: Sql,
  conversationId: string,
  userIds: readonly string[],
): Promise<void> {
  await sql.query(
    `insert into conversation_members (conversation_id, user_id)
     select $1, unnest($2::text[]) on conflict do nothing`,
    [conversationId, userIds],
  );
}

export async function isMember(sql: Sql, conversationId: string, userId: string): Promise<boolean> {
  const rows = await sql.query(
    'select 1 from conversation_members where conversation_id = $1 and user_id = $2',
    [conversationId, userId],
  );
  return rows.length === 1;
}

export async function listConversationIdsOfUser(sql: Sql, userId: string): Promise<string[]> {
  const rows = await sql.query<{ conversation_id: string }>(
    'select conversation_id from conversation_members where user_id = $1',
    [userId],
  );
  return rows.map((row) => row.conversation_id);
}

interface ConversationRow {
  id: string;
  kind: ConversationKind;
  name: string | null;
  created_at: Date;
  updated_at: Date;
  last_seq: number;
  last_read_seq: number;
  member_count: number;
  lm_id: number | null;
  lm_seq: number;
  lm_sender_id: string;
  lm_client_msg_id: string;
  lm_body: string;
  lm_created_at: Date;
}

// The last message is found by (conversation_id, seq = last_seq): one index probe, no scan of history.
const summarySelect = `
  select c.id, c.kind, c.name, c.created_at, c.updated_at, c.last_seq, m.last_read_seq,
    (select count(*) from conversation_members n where n.conversation_id = c.id) as member_count,
    lm.id as lm_id, lm.seq as lm_seq, lm.sender_id as lm_sender_id, lm.client_msg_id as lm_client_msg_id,
    lm.body as lm_body, lm.created_at as lm_created_at
  from conversation_members m
  join conversations c on c.id = m.conversation_id
  left join messages lm on lm.conversation_id = c.id and lm.seq = c.last_seq`;

/** Every conversation the user is a member of, most recently active first, as that user sees it. */
export async function listConversationSummaries(sql: Sql, userId: string): Promise<Conversation[]> {
  const rows = await sql.query<ConversationRow>(
    `${summarySelect} where m.user_id = $1 order by c.updated_at desc, c.id`,
    [userId],
  );
  return withMembers(sql, rows);
}

/** The conversation as the user sees it, or null when it does not exist or the user is not a member. */
export async function findConversationSummary(
  sql: Sql,
  conversationId: string,
  userId: string,
): Promise<Conversation | null> {
  const rows = await sql.query<ConversationRow>(`${summarySelect} where m.user_id = $1 and c.id = $2`, [
    userId,
    conversationId,
  ]);
  const [conversation] = await withMembers(sql, rows);
  return conversation ?? null;
}

async function withMembers(sql: Sql, rows: ConversationRow[]): Promise<Conversation[]> {
  const listed = rows.filter((row) => row.kind === 'direct' || row.kind === 'group').map((row) => row.id);
  const members =
    listed.length > 0 ? await listMembers(sql, listed) : new Map<string, ConversationMember[]>();
  return rows.map((row) => toConversation(row, members.get(row.id) ?? null));
}

async function listMembers(sql: Sql, conversationIds: string[]): Promise<Map<string, ConversationMember[]>> {
  const rows = await sql.query<{ conversation_id: string; id: string; display_name: string }>(
    `select m.conversation_id, u.id, u.display_name from conversation_members m join users u on u.id = m.user_id
     where m.conversation_id = any($1::text[]) order by m.joined_at, u.id`,
    [conversationIds],
  );
  const byConversation = new Map<string, ConversationMember[]>();
  for (const row of rows) {
    const list = byConversation.get(row.conversation_id) ?? [];
    list.push({ id: row.id, displayName: row.display_name });
    byConversation.set(row.conversation_id, list);
  }
  return byConversation;
}

function toConversation(row: ConversationRow, members: ConversationMember[] | null): Conversation {
  const lastMessage =
    row.lm_id === null
      ? null
      : toMessage({
          id: row.lm_id,
          conversation_id: row.id,
          seq: row.lm_seq,
          sender_id: row.lm_sender_id,
          client_msg_id: row.lm_client_msg_id,
          body: row.lm_body,
          created_at: row.lm_created_at,
        } satisfies MessageRow);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    memberCount: row.member_count,
    members,
    lastSeq: row.last_seq,
    lastReadSeq: row.last_read_seq,
    // Sending advances the sender's own cursor, so the distance between cursors counts only others' messages.
    unreadCount: Math.max(0, row.last_seq - row.last_read_seq),
    lastMessage,
  };
}

/**
 * Moves the member's read cursor forward to `seq` (capped at the conversation's last seq); never back.
 * Returns the cursor after the update, or null when the user is not a member.
 */
export async function advanceReadCursor(
  sql: Sql,
  conversationId: string,
  userId: string,
  seq: number,
): Promise<number | null> {
  const [row] = await sql.query<{ last_read_seq: number }>(
    `update conversation_members m set last_read_seq = greatest(m.last_read_seq, least($3::int, c.last_seq))
     from conversations c where c.id = m.conversation_id and m.conversation_id = $1 and m.user_id = $2
     returning m.last_read_seq`,
    [conversationId, userId, seq],
  );
  return row?.last_read_seq ?? null;
}
