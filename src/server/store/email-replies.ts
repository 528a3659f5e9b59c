// The ids that reply-by-email addresses carry (migration 018), one per user and conversation.
import type { Sql } from './db.ts';

/** The pair's id: the one stored, or `candidate` stored now. */
export async function ensureReplyAddressId(
  sql: Sql,
  userId: string,
  conversationId: string,
  candidate: string,
): Promise<string> {
  const [row] = await sql.query<{ id: string }>(
    `with inserted as (
       insert into email_reply_addresses (id, user_id, conversation_id) values ($3, $1, $2)
       on conflict (user_id, conversation_id) do nothing returning id
     )
     select id from inserted
     union all select id from email_reply_addresses where user_id = $1 and conversation_id = $2
     limit 1`,
    [userId, conversationId, candidate],
  );
  if (!row) throw new Error('no reply address id was stored');
  return row.id;
}

export async function findReplyAddress(
  sql: Sql,
  id: string,
): Promise<{ userId: string; conversationId: string } | null> {
  const [row] = await sql.query<{ user_id: string; conversation_id: string }>(
    'select user_id, conversation_id from email_reply_addresses where id = $1',
    [id],
  );
  return row ? { userId: row.user_id, conversationId: row.conversation_id } : null;
}
