// Messages as stored: idempotency lookups and history pages (the append is in message-append.ts).
import type { Message } from '../../protocol/models.ts';
import type { Sql } from './db.ts';
import { type MessageRow, messageColumns, toMessage } from './rows.ts';

export async function findMessageById(sql: Sql, id: number): Promise<Message | null> {
  const [row] = await sql.query<MessageRow>(`select ${messageColumns} from messages where id = $1`, [id]);
  return row ? toMessage(row) : null;
}

export async function findByClientMsgId(
  sql: Sql,
  senderId: string,
  clientMsgId: string,
): Promise<Message | null> {
  const [row] = await sql.query<MessageRow>(
    `select ${messageColumns} from messages where sender_id = $1 and client_msg_id = $2`,
    [senderId, clientMsgId],
  );
  return row ? toMessage(row) : null;
}

export interface PageRequest {
  /** Only messages with seq below this. */
  before?: number | undefined;
  /** Only messages with seq above this. */
  after?: number | undefined;
  limit: number;
}

/**
 * One page of history in ascending seq order. With `after` the page starts right after it (catch-up);
 * otherwise it ends right before `before` or at the newest message (scrolling back).
 */
export async function listMessagePage(
  sql: Sql,
  conversationId: string,
  page: PageRequest,
): Promise<{ messages: Message[]; hasMore: boolean }> {
  const forward = page.after !== undefined;
  const rows = await sql.query<MessageRow>(
    `select ${messageColumns} from messages
     where conversation_id = $1 and seq > $2 and seq < $3
     order by seq ${forward ? 'asc' : 'desc'} limit $4`,
    [conversationId, page.after ?? 0, page.before ?? 2_147_483_647, page.limit + 1],
  );
  const hasMore = rows.length > page.limit;
  const pageRows = rows.slice(0, page.limit);
  if (!forward) pageRows.reverse();
  return { messages: pageRows.map(toMessage), hasMore };
}

/**
 * For each (conversation, cursor) of a member, the first `limit + 1` messages after the cursor, in one
 * query: a client resuming across hundreds of conversations costs one round trip.
 */
export async function listMessagesAfterCursors(
  sql: Sql,
  userId: string,
  cursors: readonly { conversationId: string; after: number }[],
  limit: number,
): Promise<Map<string, Message[]>> {
  const byConversation = new Map<string, Message[]>();
  if (cursors.length === 0) return byConversation;
  const rows = await sql.query<MessageRow>(
    `select page.* from unnest($2::text[], $3::int[]) as cursor(conversation_id, after)
     join conversation_members m on m.conversation_id = cursor.conversation_id and m.user_id = $1
     cross join lateral (
       select ${messageColumns} from messages
       where conversation_id = cursor.conversation_id and seq > cursor.after
       order by seq limit $4) page
     order by page.conversation_id, page.seq`,
    [userId, cursors.map((c) => c.conversationId), cursors.map((c) => c.after), limit + 1],
  );
  for (const row of rows) {
    const list = byConversation.get(row.conversation_id) ?? [];
    list.push(toMessage(row));
    byConversation.set(row.conversation_id, list);
  }
  return byConversation;
}
