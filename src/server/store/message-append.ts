// The append: one statement stores a batch of messages for any number of conversations, handing out gap-free
// per-conversation seqs, so that sends arriving together share one commit (group commit, see
// docs/delivery.md and decision 008).

import type { Attachment } from '../../protocol/attachments.ts';
import type { Message } from '../../protocol/models.ts';
import { quoteOf } from '../../protocol/quotes.ts';
import { attachmentsByMessage } from './attachments.ts';
import type { Database, Sql } from './db.ts';
import { findByClientMsgId, findMessagesByIds } from './messages.ts';

/**
 * What the append checks and does for one message besides storing it: the domain's decisions
 * (domain/messages/append-instructions.ts). What they leave to the statement is only what can change under
 * a send and so must be read at the commit: whether the sender is a member, whether an organisation is the
 * company's own.
 */
export interface AppendInstructions {
  /** Stored only if the sender is a member when it commits (checking earlier would race with a leave). */
  requireMembership: boolean;
  /** Enqueues a delivery for every enabled webhook that wants `message.created`. */
  notifyWebhooks: boolean;
  /** …but only if the conversation has no audience organisation, or the company's own, when it commits. */
  webhooksNeedCompanyAudience: boolean;
}

/** Every check made: what a message gets when its caller says nothing, so that forgetting never skips one. */
const everyCheck: AppendInstructions = {
  requireMembership: true,
  notifyWebhooks: true,
  webhooksNeedCompanyAudience: true,
};

export interface NewMessage {
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  body: string;
  /** Whom the message mentions, as the domain admits them; those who are not members at the commit are left out. */
  mentions: readonly string[];
  kind: Exclude<Message['kind'], 'change'>;
  /** The message it replies to; one of another conversation is dropped by the statement. */
  replyToId?: string | undefined;
  /** The sender's unsent uploads to the conversation it carries; the statement claims them. */
  attachmentIds?: readonly string[] | undefined;
  instructions?: AppendInstructions;
}

/** What the append statement answers per stored message. */
interface AppendedRow {
  id: number;
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_msg_id: string;
  body: string;
  created_at: Date;
  mentions: string[];
  kind: Message['kind'];
  reply_to_id: number | null;
  reopened: boolean;
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
 * - archiving, and membership where its instructions require it, are checked in the statement;
 * - each conversation's `last_seq` is bumped once by the number of its messages, which row-locks it until
 *   the commit, so seqs commit in order with no gaps (decision 003), in the order of `messages`;
 * - mentions, the senders' read cursors, the webhook deliveries its instructions ask for and the reopening
 *   of closed record threads happen in the same statement, so a stored message always has them and nothing
 *   runs after the commit.
 * A clientMsgId stored concurrently by another node fails the statement on the unique index, which rolls
 * the bumps back with it: a duplicate never burns a seq. Then each message is appended on its own.
 */
/** Runs the append statement for some messages: as it is, or in a transaction of its own. */
export type Appender = (messages: readonly NewMessage[]) => Promise<AppendedBatch>;

/**
 * For several nodes appending to the same conversations at once: each append row-locks its conversations
 * first, in id order, in a transaction the statement then runs in, so that two batches wait for each other
 * instead of deadlocking (which PostgreSQL breaks only after deadlock_timeout, a second's stall, by
 * aborting one of them).
 */
export function lockingInOrder(db: Database): Appender {
  return (messages) =>
    db.transaction(async (tx) => {
      const conversationIds = [...new Set(messages.map((message) => message.conversationId))].sort();
      await tx.query('select id from conversations where id = any($1) order by id for update', [
        conversationIds,
      ]);
      return appendInOneStatement(tx, messages);
    });
}

export async function appendMessages(
  sql: Sql,
  messages: readonly NewMessage[],
  appender: Appender = (some) => appendInOneStatement(sql, some),
): Promise<AppendedBatch> {
  try {
    return await againAfterDeadlock(appender, messages);
  } catch (error) {
    if (!isClientMsgIdConflict(error) || messages.length === 1) throw error;
    const batches: AppendedBatch[] = [];
    for (const message of messages) batches.push(await appendOneIgnoringConflict(appender, message));
    return {
      messages: batches.flatMap((batch) => batch.messages),
      reopenedConversationIds: [...new Set(batches.flatMap((batch) => batch.reopenedConversationIds))],
    };
  }
}

/**
 * A batch appended alongside another node's, each row-locking its conversations in an order of its own, may
 * deadlock (unless `lockingInOrder`), and PostgreSQL then aborts one of them whole. Nothing of it was
 * stored, so it is simply appended again.
 */
async function againAfterDeadlock(
  appender: Appender,
  messages: readonly NewMessage[],
): Promise<AppendedBatch> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await appender(messages);
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt === DEADLOCK_ATTEMPTS)
        throw error;
    }
  }
}

/** One message, as a batch of one; a conflict means it was stored meanwhile, which its caller replays. */
async function appendOneIgnoringConflict(appender: Appender, message: NewMessage): Promise<AppendedBatch> {
  try {
    return await againAfterDeadlock(appender, [message]);
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
  const attachmentOrdinals: number[] = [];
  const attachmentIds: string[] = [];
  messages.forEach((message, index) => {
    for (const userId of message.mentions) {
      mentionOrdinals.push(index + 1);
      mentionUsers.push(userId);
    }
    for (const attachmentId of message.attachmentIds ?? []) {
      attachmentOrdinals.push(index + 1);
      attachmentIds.push(attachmentId);
    }
  });
  const instructions = messages.map((message) => message.instructions ?? everyCheck);
  const rows = await sql.query<AppendedRow>(
    `select id, conversation_id, seq, sender_id, client_msg_id, body, created_at, mentions, kind, reply_to_id,
       reopened
     from append_messages($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[],
       $8::boolean[], $9::boolean[], $10::int[], $11::text[], $12::int8[], $13::int[], $14::text[])`,
    [
      messages.map((_, index) => index + 1),
      messages.map((message) => message.conversationId),
      messages.map((message) => message.senderId),
      messages.map((message) => message.clientMsgId),
      messages.map((message) => message.body),
      messages.map((message) => message.kind),
      instructions.map((instruction) => instruction.requireMembership),
      instructions.map((instruction) => instruction.notifyWebhooks),
      instructions.map((instruction) => instruction.webhooksNeedCompanyAudience),
      mentionOrdinals,
      mentionUsers,
      messages.map((message) => message.replyToId ?? null),
      attachmentOrdinals,
      attachmentIds,
    ],
  );
  rows.sort((a, b) =>
    a.conversation_id < b.conversation_id ? -1 : a.conversation_id > b.conversation_id ? 1 : a.seq - b.seq,
  );
  // The quoted originals and the files claimed, read after the statement in one query each, and only when
  // the batch has replies or files.
  const replyIds = [...new Set(rows.flatMap((row) => (row.reply_to_id === null ? [] : [row.reply_to_id])))];
  const [originals, attachments] = await Promise.all([
    replyIds.length === 0 ? new Map<string, Message>() : findMessagesByIds(sql, replyIds),
    attachmentIds.length === 0
      ? new Map<string, Attachment[]>()
      : attachmentsByMessage(
          sql,
          rows.map((row) => String(row.id)),
        ),
  ]);
  return {
    messages: rows.map((row) => appendedMessage(row, originals, attachments.get(String(row.id)) ?? [])),
    reopenedConversationIds: [
      ...new Set(rows.filter((row) => row.reopened).map((row) => row.conversation_id)),
    ],
  };
}

/** A message as just stored: not edited, without reactions, quoting its original if it replies. */
function appendedMessage(
  row: AppendedRow,
  originals: ReadonlyMap<string, Message>,
  attachments: Attachment[],
): Message {
  const original = row.reply_to_id === null ? undefined : originals.get(String(row.reply_to_id));
  return {
    id: String(row.id),
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    clientMsgId: row.client_msg_id,
    mentions: row.mentions,
    kind: row.kind,
    editedAt: null,
    deletedAt: null,
    revisionSeq: row.seq,
    replyTo: original ? quoteOf(original) : null,
    reactions: [],
    attachments,
    change: null,
  };
}

/** PostgreSQL's SQLSTATE for a transaction it aborted to break a deadlock. */
const DEADLOCK_DETECTED = '40P01';
const DEADLOCK_ATTEMPTS = 3;

function isClientMsgIdConflict(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION && constraint === CLIENT_MSG_ID_CONSTRAINT;
}
