// Messages: the append that hands out gap-free per-conversation seqs, idempotency lookups and history pages.
import type { Message } from '../../protocol/models.ts';
import type { Sql } from './db.ts';
import { type MessageRow, messageColumns, toMessage } from './rows.ts';

export interface NewMessage {
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  body: string;
  mentions: readonly string[];
  kind: Message['kind'];
}

const CLIENT_MSG_ID_CONSTRAINT = 'messages_sender_id_client_msg_id_key';
const UNIQUE_VIOLATION = '23505';

/** `refused`: not a member, no such conversation, or an archived one. */
export type AppendResult =
  | { kind: 'appended'; message: Message }
  | { kind: 'refused' }
  | { kind: 'duplicate' };

/**
 * Appends a message in one statement. Bumping `conversations.last_seq` row-locks the conversation until the
 * commit, so seqs commit in order with no gaps (a sequence would commit out of order and readers would skip
 * rows). Membership is checked in the same statement, except for a host's record events: their bot posts
 * without being a member, so it never counts or shows among the people. Webhook deliveries are enqueued by
 * the same statement (never for notes of an organisation other than the company's own, whose webhooks they
 * are), so a stored message always has them. A resent client id fails the whole statement on the
 * unique index, which rolls the bump back: a duplicate never burns a seq.
 */
export async function appendMessage(sql: Sql, message: NewMessage): Promise<AppendResult> {
  try {
    const [row] = await sql.query<MessageRow>(
      `with bumped as (
         update conversations c set last_seq = c.last_seq + 1, updated_at = now()
         where c.id = $1 and c.archived_at is null and ($6 = 'event' or exists (
           select 1 from conversation_members m where m.conversation_id = c.id and m.user_id = $2))
         returning c.id, c.last_seq
       ), mentioned as (
         select array_agg(m.user_id order by m.user_id) as ids from conversation_members m
         where m.conversation_id = $1 and m.user_id = any($5::text[]) and m.user_id <> $2
       ), inserted as (
         insert into messages (conversation_id, seq, sender_id, client_msg_id, body, mentions, kind)
         select b.id, b.last_seq, $2, $3, $4, coalesce(mentioned.ids, '{}'), $6 from bumped b, mentioned
         returning ${messageColumns}
       ), mention_rows as (
         insert into message_mentions (user_id, conversation_id, seq)
         select unnest(i.mentions), i.conversation_id, i.seq from inserted i
       ), sender_has_read as (
         update conversation_members m set last_read_seq = i.seq from inserted i
         where m.conversation_id = i.conversation_id and m.user_id = $2
       ), webhook_deliveries_due as (
         insert into webhook_deliveries (webhook_id, event, message_id)
         select w.id, 'message.created', i.id from inserted i, webhooks w
         where w.disabled_at is null and 'message.created' = any(w.events) and not exists (
           select 1 from conversations n join organizations o on o.id = n.audience_org_id
           where n.id = i.conversation_id and o.kind <> 'internal')
       )
       select * from inserted`,
      [
        message.conversationId,
        message.senderId,
        message.clientMsgId,
        message.body,
        message.mentions,
        message.kind,
      ],
    );
    return row ? { kind: 'appended', message: toMessage(row) } : { kind: 'refused' };
  } catch (error) {
    if (isClientMsgIdConflict(error)) return { kind: 'duplicate' };
    throw error;
  }
}

function isClientMsgIdConflict(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION && constraint === CLIENT_MSG_ID_CONSTRAINT;
}

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
