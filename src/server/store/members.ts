// Who is in a conversation: adding and removing members, and the membership lookups access decisions use.
import type { User } from '../../protocol/models.ts';
import type { Sql } from './db.ts';
import { toUser, type UserRow, userColumns, usersWithOrganizations } from './rows.ts';

/**
 * Whether a member is shown the conversation (`m` a conversation_members row, `c` its conversation): always,
 * unless they await its first message and none has been written yet.
 */
export const shownToMember = '(not m.awaits_first_message or c.last_seq > 0)';

/**
 * Adds members who are not in yet, with their read cursor at the conversation's end: joining shows the
 * history without flagging it unread. Those in `awaitingFirstMessage` are shown the conversation only once
 * it has a message. Returns the ids actually added.
 */
export async function addMembers(
  sql: Sql,
  conversationId: string,
  userIds: readonly string[],
  awaitingFirstMessage: readonly string[] = [],
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await sql.query<{ user_id: string }>(
    `insert into conversation_members (conversation_id, user_id, last_read_seq, awaits_first_message)
     select c.id, u.id, c.last_seq, u.id = any($3::text[])
     from conversations c, unnest($2::text[]) as u(id) where c.id = $1
     on conflict do nothing returning user_id`,
    [conversationId, userIds, awaitingFirstMessage],
  );
  return rows.map((row) => row.user_id);
}

/**
 * Shows a conversation that has no message yet to a member who awaited its first one (they start it
 * themselves); false when it was shown to them already.
 */
export async function showToMember(sql: Sql, conversationId: string, userId: string): Promise<boolean> {
  const rows = await sql.query(
    `update conversation_members m set awaits_first_message = false from conversations c
     where c.id = m.conversation_id and m.conversation_id = $1 and m.user_id = $2 and not ${shownToMember}
     returning m.user_id`,
    [conversationId, userId],
  );
  return rows.length === 1;
}

/** The members of these conversations who awaited their first message: whom a first message shows them to. */
export async function listMembersAwaitingFirstMessage(
  sql: Sql,
  conversationIds: readonly string[],
): Promise<{ conversationId: string; userId: string }[]> {
  const rows = await sql.query<{ conversation_id: string; user_id: string }>(
    `select conversation_id, user_id from conversation_members
     where conversation_id = any($1::text[]) and awaits_first_message order by conversation_id, user_id`,
    [conversationIds],
  );
  return rows.map((row) => ({ conversationId: row.conversation_id, userId: row.user_id }));
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

/** Every conversation the user is a member of, shown to them or not: where their presence matters. */
export async function listConversationIdsOfUser(sql: Sql, userId: string): Promise<string[]> {
  const rows = await sql.query<{ conversation_id: string }>(
    'select conversation_id from conversation_members where user_id = $1',
    [userId],
  );
  return rows.map((row) => row.conversation_id);
}

/** The conversations shown to the user: the rooms their sockets listen to. */
export async function listConversationIdsShownTo(sql: Sql, userId: string): Promise<string[]> {
  const rows = await sql.query<{ conversation_id: string }>(
    `select m.conversation_id from conversation_members m join conversations c on c.id = m.conversation_id
     where m.user_id = $1 and ${shownToMember}`,
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

/**
 * The members a mention of everyone reaches besides its sender: all of them (`@channel`), or those with a
 * connection that is active now (`@here`).
 */
export async function listEveryoneToMention(
  sql: Sql,
  conversationId: string,
  senderId: string,
  activeOnly: boolean,
): Promise<string[]> {
  const rows = await sql.query<{ user_id: string }>(
    `select m.user_id from conversation_members m
     where m.conversation_id = $1 and m.user_id <> $2 and (not $3::boolean or exists (
       select 1 from presence_connections p
       where p.user_id = m.user_id and p.status = 'online' and p.expires_at > now()))
     order by m.user_id`,
    [conversationId, senderId, activeOnly],
  );
  return rows.map((row) => row.user_id);
}
