// Conversations, their members, each member's read cursor, and channel policies.
import type {
  ChannelListing,
  ChannelPolicy,
  Conversation,
  ConversationKind,
  ConversationMember,
  Message,
  Organization,
  RecordContext,
  RecordInfo,
  Role,
  UnreadTotals,
  User,
} from '../../protocol/models.ts';
import type { Sql } from './db.ts';
import {
  type MessageRow,
  toMessage,
  toUser,
  type UserRow,
  userColumns,
  usersWithOrganizations,
} from './rows.ts';

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

/**
 * Adds members who are not in yet, with their read cursor at the conversation's end: joining shows the
 * history without flagging it unread. Returns the ids actually added.
 */
export async function addMembers(
  sql: Sql,
  conversationId: string,
  userIds: readonly string[],
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await sql.query<{ user_id: string }>(
    `insert into conversation_members (conversation_id, user_id, last_read_seq)
     select c.id, u.id, c.last_seq from conversations c, unnest($2::text[]) as u(id) where c.id = $1
     on conflict do nothing returning user_id`,
    [conversationId, userIds],
  );
  return rows.map((row) => row.user_id);
}

/** Returns the ids actually removed. */
export async function removeMembers(
  sql: Sql,
  conversationId: string,
  userIds: readonly string[],
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await sql.query<{ user_id: string }>(
    'delete from conversation_members where conversation_id = $1 and user_id = any($2::text[]) returning user_id',
    [conversationId, userIds],
  );
  return rows.map((row) => row.user_id);
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

export async function listMemberUsers(sql: Sql, conversationId: string): Promise<User[]> {
  const rows = await sql.query<UserRow>(
    `select ${userColumns} from conversation_members m join ${usersWithOrganizations} on u.id = m.user_id
     where m.conversation_id = $1 order by m.joined_at, u.id`,
    [conversationId],
  );
  return rows.map(toUser);
}

/** The facts access decisions need about a conversation, whoever asks. */
export interface ConversationFacts {
  id: string;
  kind: ConversationKind;
  name: string | null;
  policy: ChannelPolicy | null;
  archivedAt: string | null;
}

interface PolicyColumns {
  scope_org_ids: string[] | null;
  min_role: Role | null;
  visibility: ChannelPolicy['visibility'] | null;
}

function toPolicy(row: PolicyColumns): ChannelPolicy | null {
  if (row.scope_org_ids === null || row.min_role === null || row.visibility === null) return null;
  return { orgIds: row.scope_org_ids, minRole: row.min_role, visibility: row.visibility };
}

const factColumns = 'c.id, c.kind, c.name, c.scope_org_ids, c.min_role, c.visibility, c.archived_at';

interface FactRow extends PolicyColumns {
  id: string;
  kind: ConversationKind;
  name: string | null;
  archived_at: Date | null;
}

function toFacts(row: FactRow): ConversationFacts {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    policy: toPolicy(row),
    archivedAt: row.archived_at?.toISOString() ?? null,
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

export interface ChannelChanges {
  name?: string | undefined;
  policy?: ChannelPolicy | undefined;
  archived?: boolean | undefined;
}

/** Returns false when the new name is taken by another channel; nothing was written then. */
export async function updateChannel(
  sql: Sql,
  conversationId: string,
  changes: ChannelChanges,
): Promise<boolean> {
  const rows = await sql.query(
    `update conversations set
       name = coalesce($2, name),
       scope_org_ids = coalesce($3, scope_org_ids),
       min_role = coalesce($4, min_role),
       visibility = coalesce($5, visibility),
       archived_at = case when $6::boolean is null then archived_at when $6 then coalesce(archived_at, now()) else null end,
       updated_at = now()
     where id = $1 and kind = 'channel'
       and not exists (select 1 from conversations o where o.kind = 'channel' and o.id <> $1 and lower(o.name) = lower($2))
     returning id`,
    [
      conversationId,
      changes.name ?? null,
      changes.policy?.orgIds ?? null,
      changes.policy?.minRole ?? null,
      changes.policy?.visibility ?? null,
      changes.archived ?? null,
    ],
  );
  return rows.length === 1;
}

interface ChannelListingRow extends PolicyColumns {
  id: string;
  name: string;
  member_count: number;
  is_member: boolean;
  archived_at: Date | null;
}

/**
 * Channels as the browser lists them: with `userId`, the ones that user is in plus public unarchived ones
 * whose policy admits `scope`; without, every channel (administration).
 */
export async function listChannels(
  sql: Sql,
  viewer: { userId: string; scope: { orgId: string; roles: Role[] } } | null,
): Promise<ChannelListing[]> {
  const rows = await sql.query<ChannelListingRow>(
    `select c.id, c.name, c.scope_org_ids, c.min_role, c.visibility, c.archived_at,
       (select count(*) from conversation_members n where n.conversation_id = c.id) as member_count,
       exists (select 1 from conversation_members m where m.conversation_id = c.id and m.user_id = $1) as is_member
     from conversations c
     where c.kind = 'channel' and ($1::text is null
       or exists (select 1 from conversation_members m where m.conversation_id = c.id and m.user_id = $1)
       or (c.visibility = 'public' and c.archived_at is null and $2 = any(c.scope_org_ids) and c.min_role = any($3::text[])))
     order by c.name`,
    [viewer?.userId ?? null, viewer?.scope.orgId ?? null, viewer?.scope.roles ?? null],
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    policy: toPolicy(row) as ChannelPolicy,
    memberCount: row.member_count,
    isMember: row.is_member,
    archivedAt: row.archived_at?.toISOString() ?? null,
  }));
}

interface ConversationRow extends FactRow {
  created_at: Date;
  updated_at: Date;
  last_seq: number;
  last_read_seq: number;
  muted: boolean;
  mention_count: number;
  member_count: number;
  lm_id: number | null;
  lm_seq: number;
  lm_sender_id: string;
  lm_client_msg_id: string;
  lm_body: string;
  lm_created_at: Date;
  lm_mentions: string[];
  lm_kind: Message['kind'];
  record_type: string | null;
  record_id: string;
  record_title: string;
  record_url: string | null;
  record_context: RecordContext;
  record_status: RecordInfo['status'];
  parent_id: string | null;
  audience: Organization[] | null;
}

// The last message is found by (conversation_id, seq = last_seq): a lateral lookup with `limit 1` (which
// the planner cannot flatten into a join) forces one index probe per conversation; a plain join lets it
// hash-join the whole messages table.
const summarySelect = `
  select ${factColumns}, c.created_at, c.updated_at, c.last_seq, m.last_read_seq, m.muted,
    (select count(*) from message_mentions mm
     where mm.user_id = m.user_id and mm.conversation_id = c.id and mm.seq > m.last_read_seq) as mention_count,
    (select count(*) from conversation_members n where n.conversation_id = c.id) as member_count,
    lm.id as lm_id, lm.seq as lm_seq, lm.sender_id as lm_sender_id, lm.client_msg_id as lm_client_msg_id,
    lm.body as lm_body, lm.created_at as lm_created_at, lm.mentions as lm_mentions, lm.kind as lm_kind,
    r.type as record_type, r.id as record_id, r.title as record_title, r.url as record_url,
    r.context as record_context, r.status as record_status, c.parent_id,
    (select json_agg(json_build_object('id', o.id, 'name', o.name, 'kind', o.kind) order by o.name, o.id)
     from organizations o where o.id = any(c.scope_org_ids)) as audience
  from conversation_members m
  join conversations c on c.id = m.conversation_id
  left join records r on r.conversation_id = coalesce(c.parent_id, c.id)
  left join lateral (
    select id, seq, sender_id, client_msg_id, body, created_at, mentions, kind from messages
    where conversation_id = c.id and seq = c.last_seq limit 1) lm on true`;

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
          mentions: row.lm_mentions,
          kind: row.lm_kind,
        } satisfies MessageRow);
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
    // Sending advances the sender's own cursor, so the distance between cursors counts only others' messages.
    unreadCount: Math.max(0, row.last_seq - row.last_read_seq),
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

/**
 * Moves the member's read cursor forward to `seq` (capped at the conversation's last seq); never back.
 * Returns the cursor after the update with the conversation's kind, or null when the user is not a member.
 */
/**
 * Moves the member's read cursor forward (never back, never past the last message) and counts the mentions
 * still unread after it, in one statement; null when the user is not a member.
 */
export async function advanceReadCursor(
  sql: Sql,
  conversationId: string,
  userId: string,
  seq: number,
): Promise<{ lastReadSeq: number; kind: ConversationKind; mentionCount: number } | null> {
  const [row] = await sql.query<{ last_read_seq: number; kind: ConversationKind; mention_count: number }>(
    `with advanced as (
       update conversation_members m set last_read_seq = greatest(m.last_read_seq, least($3::int, c.last_seq))
       from conversations c where c.id = m.conversation_id and m.conversation_id = $1 and m.user_id = $2
       returning m.last_read_seq, c.kind)
     select a.last_read_seq, a.kind, (select count(*)::int from message_mentions mm
       where mm.conversation_id = $1 and mm.user_id = $2 and mm.seq > a.last_read_seq) as mention_count
     from advanced a`,
    [conversationId, userId, seq],
  );
  return row ? { lastReadSeq: row.last_read_seq, kind: row.kind, mentionCount: row.mention_count } : null;
}

/** Returns the new muted flag, or null when the user is not a member. */
export async function setMuted(
  sql: Sql,
  conversationId: string,
  userId: string,
  muted: boolean,
): Promise<boolean | null> {
  const [row] = await sql.query<{ muted: boolean }>(
    'update conversation_members set muted = $3 where conversation_id = $1 and user_id = $2 returning muted',
    [conversationId, userId, muted],
  );
  return row?.muted ?? null;
}

/** The badge totals from cursors alone: no message is read. */
export async function unreadTotals(sql: Sql, userId: string): Promise<UnreadTotals> {
  const [row] = await sql.query<{ unread: number | null; conversations: number; mentions: number }>(
    `select sum(greatest(c.last_seq - m.last_read_seq, 0)) filter (where not m.muted) as unread,
       count(*) filter (where not m.muted and c.last_seq > m.last_read_seq) as conversations,
       (select count(*) from message_mentions mm join conversation_members x
          on x.conversation_id = mm.conversation_id and x.user_id = mm.user_id
        where mm.user_id = $1 and mm.seq > x.last_read_seq) as mentions
     from conversation_members m join conversations c on c.id = m.conversation_id where m.user_id = $1`,
    [userId],
  );
  return {
    unreadCount: row?.unread ?? 0,
    mentionCount: row?.mentions ?? 0,
    conversationCount: row?.conversations ?? 0,
  };
}

/** How many members other than the sender have read up to `seq`, and who. */
export async function readersOf(
  sql: Sql,
  conversationId: string,
  seq: number,
): Promise<{ readCount: number; readers: ConversationMember[] }> {
  const rows = await sql.query<{ id: string; display_name: string; last_read_seq: number }>(
    `select u.id, u.display_name, m.last_read_seq from conversation_members m join users u on u.id = m.user_id
     where m.conversation_id = $1 and m.last_read_seq >= $2
       and u.id <> coalesce((select sender_id from messages where conversation_id = $1 and seq = $2), '')
     order by u.display_name`,
    [conversationId, seq],
  );
  return {
    readCount: rows.length,
    readers: rows.map((row) => ({
      id: row.id,
      displayName: row.display_name,
      lastReadSeq: row.last_read_seq,
    })),
  };
}
