// Who is in a conversation: adding and removing members, and the membership lookups access decisions use.
import type { User } from '../../protocol/models.ts';
import type { Sql } from './db.ts';
import { toUser, type UserRow, userColumns, usersWithOrganizations } from './rows.ts';

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
