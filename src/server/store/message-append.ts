// The append: one statement stores a batch of messages for any number of conversations, handing out gap-free
// per-conversation seqs, so that sends arriving together share one commit (group commit, see
// docs/delivery.md and decision 008).
import type { Message } from '../../protocol/models.ts';
import type { Sql } from './db.ts';
import { findByClientMsgId } from './messages.ts';
import { type MessageRow, messageColumns, toMessage } from './rows.ts';

export interface NewMessage {
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  body: string;
  mentions: readonly string[];
  kind: Message['kind'];
}

export interface AppendedBatch {
  /** The stored messages, by conversation and seq. */
  messages: Message[];
  /** Record threads that were closed and reopened by this activity. */
  reopenedConversationIds: string[];
}

const CLIENT_MSG_ID_CONSTRAINT = 'messages_sender_id_client_msg_id_key';
const UNIQUE_VIOLATION = '23505';

/**
 * Appends every message that may be stored, in one statement and so in one commit:
 * - a message whose (sender, clientMsgId) is already stored is left out (the caller replays the original);
 * - membership and archiving are checked in the statement, except for a host's record events, whose bot
 *   posts without being a member so that it never counts or shows among the people;
 * - each conversation's `last_seq` is bumped once by the number of its messages, which row-locks it until
 *   the commit, so seqs commit in order with no gaps (decision 003), in the order of `messages`;
 * - mentions, the senders' read cursors, webhook deliveries (never for notes of an organisation other than
 *   the company's own, whose webhooks they are) and the reopening of closed record threads happen in the
 *   same statement, so a stored message always has them and nothing runs after the commit.
 * A clientMsgId stored concurrently by another node fails the statement on the unique index, which rolls
 * the bumps back with it: a duplicate never burns a seq. Then each message is appended on its own.
 */
export async function appendMessages(sql: Sql, messages: readonly NewMessage[]): Promise<AppendedBatch> {
  try {
    return await appendInOneStatement(sql, messages);
  } catch (error) {
    if (!isClientMsgIdConflict(error) || messages.length === 1) throw error;
    const batches: AppendedBatch[] = [];
    for (const message of messages) batches.push(await appendOneIgnoringConflict(sql, message));
    return {
      messages: batches.flatMap((batch) => batch.messages),
      reopenedConversationIds: [...new Set(batches.flatMap((batch) => batch.reopenedConversationIds))],
    };
  }
}

/** One message, as a batch of one; a conflict means it was stored meanwhile, which its caller replays. */
async function appendOneIgnoringConflict(sql: Sql, message: NewMessage): Promise<AppendedBatch> {
  try {
    return await appendInOneStatement(sql, [message]);
  } catch (error) {
    if (isClientMsgIdConflict(error)) return { messages: [], reopenedConversationIds: [] };
    throw error;
  }
}

/** What became of one message appended on its own. */
export type AppendResult =
  | { kind: 'appended'; message: Message }
  /** Not a member, no such conversation, or an archived one. */
  | { kind: 'refused' }
  | { kind: 'duplicate'; original: Message };

/** Appends one message and says what became of it. */
export async function appendMessage(sql: Sql, message: NewMessage): Promise<AppendResult> {
  const [appended] = (await appendMessages(sql, [message])).messages;
  if (appended) return { kind: 'appended', message: appended };
  const original = await findByClientMsgId(sql, message.senderId, message.clientMsgId);
  return original ? { kind: 'duplicate', original } : { kind: 'refused' };
}

async function appendInOneStatement(sql: Sql, messages: readonly NewMessage[]): Promise<AppendedBatch> {
  const mentionOrdinals: number[] = [];
  const mentionUsers: string[] = [];
  messages.forEach((message, index) => {
    for (const userId of message.mentions) {
      mentionOrdinals.push(index + 1);
      mentionUsers.push(userId);
    }
  });
  const rows = await sql.query<MessageRow & { reopened: boolean }>(
    `with input as (
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         with ordinality as t(conversation_id, sender_id, client_msg_id, body, kind, ord)
     ), fresh as (
       select i.* from input i where not exists (
         select 1 from messages m where m.sender_id = i.sender_id and m.client_msg_id = i.client_msg_id)
     ), allowed as (
       select f.*, row_number() over (partition by f.conversation_id order by f.ord) as n
       from fresh f join conversations c on c.id = f.conversation_id
       where c.archived_at is null and (f.kind = 'event' or exists (
         select 1 from conversation_members m where m.conversation_id = f.conversation_id and m.user_id = f.sender_id))
     ), counts as (
       select conversation_id, count(*)::int as added from allowed group by conversation_id
     ), bumped as (
       update conversations c set last_seq = c.last_seq + k.added, updated_at = now()
       from counts k where c.id = k.conversation_id and c.archived_at is null
       returning c.id, c.last_seq, k.added
     ), numbered as (
       select a.*, (b.last_seq - b.added + a.n)::int as seq from allowed a join bumped b on b.id = a.conversation_id
     ), mentioned as (
       select nb.ord, array_agg(distinct cm.user_id order by cm.user_id) as ids
       from unnest($6::int[], $7::text[]) as mi(ord, user_id)
       join numbered nb on nb.ord = mi.ord
       join conversation_members cm on cm.conversation_id = nb.conversation_id and cm.user_id = mi.user_id
       where mi.user_id <> nb.sender_id group by nb.ord
     ), inserted as (
       insert into messages (conversation_id, seq, sender_id, client_msg_id, body, mentions, kind)
       select nb.conversation_id, nb.seq, nb.sender_id, nb.client_msg_id, nb.body, coalesce(md.ids, '{}'), nb.kind
       from numbered nb left join mentioned md on md.ord = nb.ord
       returning ${messageColumns}
     ), mention_rows as (
       insert into message_mentions (user_id, conversation_id, seq)
       select unnest(i.mentions), i.conversation_id, i.seq from inserted i
     ), senders_have_read as (
       update conversation_members m set last_read_seq = greatest(m.last_read_seq, x.seq)
       from (select conversation_id, sender_id, max(seq) as seq from inserted group by conversation_id, sender_id) x
       where m.conversation_id = x.conversation_id and m.user_id = x.sender_id
     ), webhook_deliveries_due as (
       insert into webhook_deliveries (webhook_id, event, message_id)
       select w.id, 'message.created', i.id from inserted i, webhooks w
       where w.disabled_at is null and 'message.created' = any(w.events) and not exists (
         select 1 from conversations n join organizations o on o.id = n.audience_org_id
         where n.id = i.conversation_id and o.kind <> 'internal')
     ), reopened as (
       update records r set status = 'open', updated_at = now()
       from counts k where r.conversation_id = k.conversation_id and r.status = 'closed' and r.reopen_on_activity
       returning r.conversation_id
     )
     select i.*, exists (select 1 from reopened r where r.conversation_id = i.conversation_id) as reopened
     from inserted i`,
    [
      messages.map((message) => message.conversationId),
      messages.map((message) => message.senderId),
      messages.map((message) => message.clientMsgId),
      messages.map((message) => message.body),
      messages.map((message) => message.kind),
      mentionOrdinals,
      mentionUsers,
    ],
  );
  rows.sort((a, b) =>
    a.conversation_id < b.conversation_id ? -1 : a.conversation_id > b.conversation_id ? 1 : a.seq - b.seq,
  );
  return {
    messages: rows.map(toMessage),
    reopenedConversationIds: [
      ...new Set(rows.filter((row) => row.reopened).map((row) => row.conversation_id)),
    ],
  };
}

function isClientMsgIdConflict(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION && constraint === CLIENT_MSG_ID_CONSTRAINT;
}
