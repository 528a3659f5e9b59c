// Changes to stored messages (edits, deletes, reactions), each in the caller's transaction: the change is
// applied to the message and recorded as an entry of kind 'change' that takes the conversation's next seq
// (migration 011), so that it reaches every member in order through the same stream as messages.
import { randomUUID } from 'node:crypto';
import type { MessageChangeType } from '../../protocol/models.ts';
import type { Sql } from './db.ts';

/** A message about to change, locked until the transaction ends. */
export interface ChangeTarget {
  id: number;
  conversationId: string;
  seq: number;
  senderId: string;
  kind: 'message' | 'event';
  body: string;
  mentions: string[];
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

/**
 * Locks the message against other changes. `for no key update` leaves the key-share lock free that a reply
 * to it takes while its sender's append holds the conversation: the two never wait on each other in a cycle.
 */
export async function lockChangeTarget(sql: Sql, messageId: string): Promise<ChangeTarget | null> {
  const [row] = await sql.query<{
    id: number;
    conversation_id: string;
    seq: number;
    sender_id: string;
    kind: ChangeTarget['kind'];
    body: string;
    mentions: string[];
    created_at: Date;
    edited_at: Date | null;
    deleted_at: Date | null;
  }>(
    `select id, conversation_id, seq, sender_id, kind, body, mentions, created_at, edited_at, deleted_at
     from messages where id = $1 and kind <> 'change' for no key update`,
    [messageId],
  );
  return row
    ? {
        id: row.id,
        conversationId: row.conversation_id,
        seq: row.seq,
        senderId: row.sender_id,
        kind: row.kind,
        body: row.body,
        mentions: row.mentions,
        createdAt: row.created_at,
        editedAt: row.edited_at,
        deletedAt: row.deleted_at,
      }
    : null;
}

export interface ChangeEntry {
  target: ChangeTarget;
  actorId: string;
  type: MessageChangeType;
  emoji?: string | null;
  /** Whom an edit newly mentions (members only are kept). */
  mentions?: readonly string[];
}

/**
 * Takes the conversation's next seq (row-locking it until the commit, as the append does) and records the
 * change there; the target's `revision_seq` moves to it. Returns the entry's id, or null when the
 * conversation is archived: nothing may change in it.
 */
export async function recordChange(sql: Sql, entry: ChangeEntry): Promise<number | null> {
  const [row] = await sql.query<{ id: number }>(
    `with next as (
       update conversations set last_seq = last_seq + 1 where id = $1 and archived_at is null
       returning last_seq, message_count
     ), entry as (
       insert into messages (conversation_id, seq, sender_id, client_msg_id, body, kind, change_type, target_id,
         emoji, mentions, messages_through)
       select $1, n.last_seq, $2, $3, '', 'change', $4, $5, $6,
         array(select cm.user_id from conversation_members cm
           where cm.conversation_id = $1 and cm.user_id = any($7::text[]) order by cm.user_id),
         n.message_count
       from next n
       returning id, seq, mentions
     ), mention_rows as (
       insert into message_mentions (user_id, conversation_id, seq)
       select unnest(e.mentions), $1, e.seq from entry e
     ), revised as (
       update messages set revision_seq = e.seq from entry e where messages.id = $5
     )
     select id from entry`,
    [
      entry.target.conversationId,
      entry.actorId,
      `change:${randomUUID()}`,
      entry.type,
      entry.target.id,
      entry.emoji ?? null,
      entry.mentions ?? [],
    ],
  );
  return row?.id ?? null;
}

/** Replaces the text, keeping the one it replaces as a version; `mentions` is everyone mentioned now. */
export async function editBody(
  sql: Sql,
  target: ChangeTarget,
  body: string,
  mentions: readonly string[],
): Promise<void> {
  await sql.query(
    `with version as (
       insert into message_versions (message_id, version, body, written_at)
       select $1, coalesce(max(version), 0) + 1, $2, $3 from message_versions where message_id = $1
     )
     update messages set body = $4, edited_at = now(), mentions = $5::text[] where id = $1`,
    [target.id, target.body, target.editedAt ?? target.createdAt, body, mentions],
  );
}

/**
 * Empties the message for everyone and removes what was derived from its text: its versions, reactions,
 * mentions (its own and its edits'), and webhook deliveries of it not yet made; webhooks that want it are
 * told of the deletion. Returns who had an unread
 * mention in it, whose counts have changed.
 */
export async function eraseMessage(sql: Sql, target: ChangeTarget): Promise<string[]> {
  const rows = await sql.query<{ user_id: string }>(
    `with erased as (
       update messages set body = '', mentions = '{}', attachment_names = '', deleted_at = now() where id = $1
     ), versions as (
       delete from message_versions where message_id = $1
     ), reactions as (
       delete from message_reactions where message_id = $1
     ), undelivered as (
       update webhook_deliveries set status = 'failed', payload = null, next_attempt_at = now(),
         last_error = 'the message was deleted'
       where message_id = $1 and status = 'pending'
     ), delivered as (
       update webhook_deliveries set payload = null where message_id = $1 and status <> 'pending'
     ), deleted_deliveries as (
       -- Told to the company's webhooks as the message was (store/message-append.ts): not about notes of
       -- another organisation. The body is built at the first claim, from the tombstone.
       insert into webhook_deliveries (webhook_id, event, message_id)
       select w.id, 'message.deleted', $1 from webhooks w
       where w.disabled_at is null and 'message.deleted' = any(w.events) and not exists (
         select 1 from conversations n join organizations o on o.id = n.audience_org_id
         where n.id = $2 and o.kind <> 'internal')
     ), mentions as (
       delete from message_mentions mm
       where mm.conversation_id = $2 and mm.seq in (
         select $3::int union all
         select seq from messages where target_id = $1 and change_type = 'message.edited')
       returning mm.user_id, mm.seq
     )
     select distinct mm.user_id from mentions mm
     join conversation_members cm on cm.conversation_id = $2 and cm.user_id = mm.user_id
     where mm.seq > cm.last_read_seq`,
    [target.id, target.conversationId, target.seq],
  );
  return rows.map((row) => row.user_id);
}

/** Distinct emoji on a message, to cap them. */
export async function countEmoji(sql: Sql, messageId: number): Promise<number> {
  const [row] = await sql.query<{ count: number }>(
    'select count(distinct emoji)::int as count from message_reactions where message_id = $1',
    [messageId],
  );
  return row?.count ?? 0;
}

/** Adds the reaction; false when it was already there (the key makes a repeat a no-op under concurrency). */
export async function addReaction(
  sql: Sql,
  messageId: number,
  emoji: string,
  userId: string,
): Promise<boolean> {
  const rows = await sql.query(
    `insert into message_reactions (message_id, emoji, user_id) values ($1, $2, $3)
     on conflict do nothing returning 1`,
    [messageId, emoji, userId],
  );
  return rows.length > 0;
}

/** Removes the reaction; false when it was not there. */
export async function removeReaction(
  sql: Sql,
  messageId: number,
  emoji: string,
  userId: string,
): Promise<boolean> {
  const rows = await sql.query(
    'delete from message_reactions where message_id = $1 and emoji = $2 and user_id = $3 returning 1',
    [messageId, emoji, userId],
  );
  return rows.length > 0;
}

/** The texts edits replaced, oldest first. */
export async function listVersions(
  sql: Sql,
  messageId: string,
): Promise<{ version: number; body: string; writtenAt: Date; replacedAt: Date }[]> {
  const rows = await sql.query<{ version: number; body: string; written_at: Date; replaced_at: Date }>(
    `select version, body, written_at, replaced_at from message_versions where message_id = $1
     order by version`,
    [messageId],
  );
  return rows.map((row) => ({
    version: row.version,
    body: row.body,
    writtenAt: row.written_at,
    replacedAt: row.replaced_at,
  }));
}
