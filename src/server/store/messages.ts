// Messages as stored, read in their current state: idempotency lookups, history pages, catch-up after
// cursors and look-ups by id (the append is in message-append.ts, changes in message-changes.ts).
import type { Attachment } from '../../protocol/attachments.ts';
import type { ChangedMessage, Message } from '../../protocol/models.ts';
import { attachmentsByMessage } from './attachments.ts';
import type { Sql } from './db.ts';
import { type MessageRow, messageColumns, messagesWithReplies, toMessage } from './rows.ts';

/**
 * Messages from their rows, each change entry given the message it changed in its current state: one
 * query for all the targets of the rows, none when there is no change among them.
 */
export async function messagesFromRows(sql: Sql, rows: readonly MessageRow[]): Promise<Message[]> {
  const targetIds = [...new Set(rows.flatMap((row) => (row.target_id === null ? [] : [row.target_id])))];
  const [targets, attachments] = await Promise.all([
    targetIds.length === 0 ? new Map<string, ChangedMessage>() : findMessagesByIds(sql, targetIds),
    attachmentsOfRows(sql, rows),
  ]);
  return rows.map((row) => {
    const message = withAttachments(toMessage(row), attachments);
    if (row.change_type === null || row.target_id === null) return message;
    const target = targets.get(String(row.target_id));
    if (!target) throw new Error(`change ${row.id} names a missing message ${row.target_id}`);
    return {
      ...message,
      change: { type: row.change_type, messageId: target.id, emoji: row.emoji, target },
    };
  });
}

/** Messages by id in their current state (changes without their targets: these are content messages). */
export async function findMessagesByIds(
  sql: Sql,
  ids: readonly number[],
): Promise<Map<string, ChangedMessage>> {
  const rows = await sql.query<MessageRow>(
    `select ${messageColumns} from ${messagesWithReplies} where m.id = any($1::int8[])`,
    [ids],
  );
  const attachments = await attachmentsOfRows(sql, rows);
  return new Map(
    rows.map((row) => [String(row.id), { ...withAttachments(toMessage(row), attachments), change: null }]),
  );
}

/** The attachments of the rows that carry any, in one query (none when no row does). */
async function attachmentsOfRows(sql: Sql, rows: readonly MessageRow[]): Promise<Map<string, Attachment[]>> {
  const ids = rows.filter((row) => row.has_attachments).map((row) => String(row.id));
  return ids.length === 0 ? new Map() : attachmentsByMessage(sql, ids);
}

function withAttachments<M extends Message>(message: M, byMessage: ReadonlyMap<string, Attachment[]>): M {
  const attachments = byMessage.get(message.id);
  return attachments ? { ...message, attachments } : message;
}

export async function findMessageById(sql: Sql, id: number): Promise<Message | null> {
  const rows = await sql.query<MessageRow>(
    `select ${messageColumns} from ${messagesWithReplies} where m.id = $1`,
    [id],
  );
  return (await messagesFromRows(sql, rows))[0] ?? null;
}

export async function findByClientMsgId(
  sql: Sql,
  senderId: string,
  clientMsgId: string,
): Promise<Message | null> {
  const rows = await sql.query<MessageRow>(
    `select ${messageColumns} from ${messagesWithReplies} where m.sender_id = $1 and m.client_msg_id = $2`,
    [senderId, clientMsgId],
  );
  return (await messagesFromRows(sql, rows))[0] ?? null;
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
    `select ${messageColumns} from ${messagesWithReplies}
     where m.conversation_id = $1 and m.seq > $2 and m.seq < $3
     order by m.seq ${forward ? 'asc' : 'desc'} limit $4`,
    [conversationId, page.after ?? 0, page.before ?? 2_147_483_647, page.limit + 1],
  );
  const hasMore = rows.length > page.limit;
  const pageRows = rows.slice(0, page.limit);
  if (!forward) pageRows.reverse();
  return { messages: await messagesFromRows(sql, pageRows), hasMore };
}

/**
 * For each (conversation, cursor) of a member, the first `limit + 1` messages after the cursor, in one
 * query: a client resuming across hundreds of conversations costs one round trip (and one more for the
 * messages their changes changed).
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
     join conversation_members cm on cm.conversation_id = cursor.conversation_id and cm.user_id = $1
     cross join lateral (
       select ${messageColumns} from ${messagesWithReplies}
       where m.conversation_id = cursor.conversation_id and m.seq > cursor.after
       order by m.seq limit $4) page
     order by page.conversation_id, page.seq`,
    [userId, cursors.map((c) => c.conversationId), cursors.map((c) => c.after), limit + 1],
  );
  for (const message of await messagesFromRows(sql, rows)) {
    const list = byConversation.get(message.conversationId) ?? [];
    list.push(message);
    byConversation.set(message.conversationId, list);
  }
  return byConversation;
}

/**
 * Whether `userId` may not quote this message in a reply: false when the message is one of the
 * conversation's (not a change), and false too for a non-member, whose send is refused as not found
 * anyway (telling them more would show which messages a conversation holds).
 */
export async function isUnquotable(
  sql: Sql,
  conversationId: string,
  userId: string,
  messageId: string,
): Promise<boolean> {
  const [row] = await sql.query<{ unquotable: boolean }>(
    `select exists (select 1 from conversation_members where conversation_id = $2 and user_id = $3)
       and not exists (select 1 from messages where id = $1 and conversation_id = $2 and kind <> 'change')
       as unquotable`,
    [messageId, conversationId, userId],
  );
  return row?.unquotable ?? false;
}
