// Conversations as a member sees them in their list: last message, unread and mention counts, record and
// audience, and for DMs and groups the members with their read cursors.
import type {
  Conversation,
  ConversationMember,
  Message,
  Organization,
  RecordContext,
  RecordInfo,
} from '../../protocol/models.ts';
import { type FactRow, factColumns, toFacts } from './conversations.ts';
import type { Sql } from './db.ts';
import { shownToMember } from './members.ts';
import { findMessagesByIds } from './messages.ts';
import { unreadAfterCursor } from './read-state.ts';

interface ConversationRow extends FactRow {
  member_id: string;
  created_at: Date;
  updated_at: Date;
  last_seq: number;
  last_read_seq: number;
  muted: boolean;
  mention_count: number;
  member_count: number;
  unread_count: number;
  lm_id: number | null;
  record_type: string | null;
  record_id: string;
  record_title: string;
  record_url: string | null;
  record_context: RecordContext;
  record_status: RecordInfo['status'];
  parent_id: string | null;
  audience: Organization[] | null;
}

// The last message is found by a backward scan of (conversation_id, seq) that skips change entries: a
// lateral lookup with `limit 1` (which the planner cannot flatten into a join) forces one index probe per
// conversation; a plain join lets it hash-join the whole messages table. Its current state is read after,
// for all the conversations at once. Unread messages are the conversation's count less the count through
// the read cursor (migration 011), one more index probe.
const summarySelect = `
  select ${factColumns}, m.user_id as member_id, c.created_at, c.updated_at, c.last_seq, m.last_read_seq, m.muted,
    (select count(*) from message_mentions mm
     where mm.user_id = m.user_id and mm.conversation_id = c.id and mm.seq > m.last_read_seq) as mention_count,
    (select count(*) from conversation_members n where n.conversation_id = c.id) as member_count,
    ${unreadAfterCursor} as unread_count,
    lm.id as lm_id,
    r.type as record_type, r.id as record_id, r.title as record_title, r.url as record_url,
    r.context as record_context, r.status as record_status, c.parent_id,
    (select json_agg(json_build_object('id', o.id, 'name', o.name, 'kind', o.kind) order by o.name, o.id)
     from organizations o where o.id = any(c.scope_org_ids)) as audience
  from conversation_members m
  join conversations c on c.id = m.conversation_id
  left join records r on r.conversation_id = coalesce(c.parent_id, c.id)
  left join lateral (
    select id from messages where conversation_id = c.id and kind <> 'change'
    order by seq desc limit 1) lm on true`;

/** Every conversation shown to the user, most recently active first, as that user sees it. */
export async function listConversationSummaries(sql: Sql, userId: string): Promise<Conversation[]> {
  const rows = await sql.query<ConversationRow>(
    `${summarySelect} where m.user_id = $1 and ${shownToMember} order by c.updated_at desc, c.id`,
    [userId],
  );
  return withMembers(sql, rows);
}

/**
 * The conversation as the user sees it, or null when it does not exist, the user is not a member, or it is
 * not shown to them yet.
 */
export async function findConversationSummary(
  sql: Sql,
  conversationId: string,
  userId: string,
): Promise<Conversation | null> {
  const rows = await sql.query<ConversationRow>(
    `${summarySelect} where m.user_id = $1 and c.id = $2 and ${shownToMember}`,
    [userId, conversationId],
  );
  const [conversation] = await withMembers(sql, rows);
  return conversation ?? null;
}

/**
 * The conversation as each of these members sees it (those it is shown to), by user id: for many members
 * at once, three queries in all (the first message of a group shows it to all its invitees together).
 */
export async function findConversationSummariesOfMembers(
  sql: Sql,
  conversationId: string,
  userIds: readonly string[],
): Promise<Map<string, Conversation>> {
  const rows = await sql.query<ConversationRow>(
    `${summarySelect} where m.user_id = any($1::text[]) and c.id = $2 and ${shownToMember}`,
    [userIds, conversationId],
  );
  const conversations = await withMembers(sql, rows);
  return new Map(rows.map((row, i) => [row.member_id, conversations[i] as Conversation]));
}

/**
 * The conversation as one of its members sees it, for the part every member sees alike (names, record,
 * audience, members); null when nobody is in it.
 */
export async function findConversationSummaryOfAnyMember(
  sql: Sql,
  conversationId: string,
): Promise<Conversation | null> {
  const rows = await sql.query<ConversationRow>(
    `${summarySelect} where c.id = $1 order by m.joined_at, m.user_id limit 1`,
    [conversationId],
  );
  const [conversation] = await withMembers(sql, rows);
  return conversation ?? null;
}

async function withMembers(sql: Sql, rows: ConversationRow[]): Promise<Conversation[]> {
  const listed = rows.filter((row) => row.kind === 'direct' || row.kind === 'group').map((row) => row.id);
  const members =
    listed.length > 0 ? await listMembers(sql, listed) : new Map<string, ConversationMember[]>();
  const lastIds = rows.flatMap((row) => (row.lm_id === null ? [] : [row.lm_id]));
  const lastMessages =
    lastIds.length > 0 ? await findMessagesByIds(sql, lastIds) : new Map<string, Message>();
  return rows.map((row) =>
    toConversation(row, members.get(row.id) ?? null, lastMessages.get(String(row.lm_id)) ?? null),
  );
}

async function listMembers(sql: Sql, conversationIds: string[]): Promise<Map<string, ConversationMember[]>> {
  const rows = await sql.query<{
    conversation_id: string;
    id: string;
    display_name: string;
    last_read_seq: number;
  }>(
    `select m.conversation_id, u.id, u.display_name, m.last_read_seq
     from conversation_members m join users u on u.id = m.user_id
     where m.conversation_id = any($1::text[]) order by m.joined_at, u.id`,
    [conversationIds],
  );
  const byConversation = new Map<string, ConversationMember[]>();
  for (const row of rows) {
    const list = byConversation.get(row.conversation_id) ?? [];
    list.push({ id: row.id, displayName: row.display_name, lastReadSeq: row.last_read_seq });
    byConversation.set(row.conversation_id, list);
  }
  return byConversation;
}

function toConversation(
  row: ConversationRow,
  members: ConversationMember[] | null,
  lastMessage: Message | null,
): Conversation {
  const facts = toFacts(row);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    policy: facts.policy,
    archivedAt: facts.archivedAt,
    memberCount: row.member_count,
    members,
    lastSeq: row.last_seq,
    lastReadSeq: row.last_read_seq,
    // Sending advances the sender's own cursor, so the messages after it are only others'.
    unreadCount: row.unread_count,
    mentionCount: row.mention_count,
    muted: row.muted,
    record:
      row.record_type === null
        ? null
        : {
            type: row.record_type,
            id: row.record_id,
            title: row.record_title,
            url: row.record_url,
            context: row.record_context,
            status: row.record_status,
          },
    parentId: row.parent_id,
    audience: row.kind === 'direct' || row.kind === 'group' ? null : (row.audience ?? []),
    lastMessage,
  };
}
