// Each member's read cursor and mute: marking read, the unread badge totals, and who has read a message.
import type { ConversationKind, ConversationMember, UnreadTotals } from '../../protocol/models.ts';
import type { Sql } from './db.ts';
import { cancelStepsOfChangedMember } from './notification-steps.ts';

/** A member's read cursor and what is still unread after it. */
export interface ReadCursor {
  lastReadSeq: number;
  kind: ConversationKind;
  unreadCount: number;
  mentionCount: number;
}

interface ReadCursorRow {
  user_id: string;
  last_read_seq: number;
  kind: ConversationKind;
  unread_count: number;
  mention_count: number;
}

/**
 * The messages unread after a member's cursor (member row `m`, its conversation `c`): the conversation's
 * count less the count through the cursor (migration 011), so changes never count and nothing is scanned.
 */
export const unreadAfterCursor = `greatest(c.message_count - coalesce((select rm.messages_through from messages rm
    where rm.conversation_id = c.id and rm.seq = m.last_read_seq), 0), 0)::int`;

/** Unread messages and mentions after the cursor of member row `m` of conversation `c`. */
const countsAfterCursor = `${unreadAfterCursor} as unread_count,
  (select count(*)::int from message_mentions mm
    where mm.conversation_id = c.id and mm.user_id = m.user_id and mm.seq > m.last_read_seq) as mention_count`;

const toReadCursor = (row: ReadCursorRow): ReadCursor => ({
  lastReadSeq: row.last_read_seq,
  kind: row.kind,
  unreadCount: row.unread_count,
  mentionCount: row.mention_count,
});

/**
 * Moves the member's read cursor forward (never back, never past the last message), cancels every
 * notification the ladder had armed for them there, and counts what is still unread after it, in one
 * statement; null when the user is not a member.
 */
export async function advanceReadCursor(
  sql: Sql,
  conversationId: string,
  userId: string,
  seq: number,
): Promise<ReadCursor | null> {
  const [row] = await sql.query<ReadCursorRow>(
    `with changed as (
       update conversation_members m set last_read_seq = greatest(m.last_read_seq, least($3::int, c.last_seq))
       from conversations c where c.id = m.conversation_id and m.conversation_id = $1 and m.user_id = $2
       returning m.user_id, m.last_read_seq
     ), ${cancelStepsOfChangedMember}
     select m.user_id, m.last_read_seq, c.kind, ${countsAfterCursor}
     from changed m join conversations c on c.id = $1`,
    [conversationId, userId, seq],
  );
  return row ? toReadCursor(row) : null;
}

/** The read cursors of some members of a conversation, with what is unread after them, by user. */
export async function readCursorsOf(
  sql: Sql,
  conversationId: string,
  userIds: readonly string[],
): Promise<Map<string, ReadCursor>> {
  const rows = await sql.query<ReadCursorRow>(
    `select m.user_id, m.last_read_seq, c.kind, ${countsAfterCursor}
     from conversation_members m join conversations c on c.id = m.conversation_id
     where m.conversation_id = $1 and m.user_id = any($2::text[])`,
    [conversationId, userIds],
  );
  return new Map(rows.map((row) => [row.user_id, toReadCursor(row)]));
}

/** Returns the new muted flag, or null when the user is not a member. */
export async function setMuted(
  sql: Sql,
  conversationId: string,
  userId: string,
  muted: boolean,
): Promise<boolean | null> {
  // Muting cancels what the ladder had armed; unmuting arms nothing for what came meanwhile.
  const [row] = await sql.query<{ muted: boolean }>(
    `with changed as (
       update conversation_members set muted = $3 where conversation_id = $1 and user_id = $2 returning muted
     ), ${cancelStepsOfChangedMember}
     select muted from changed`,
    [conversationId, userId, muted],
  );
  return row?.muted ?? null;
}

/** The badge totals from cursors alone: no message is read. */
export async function unreadTotals(sql: Sql, userId: string): Promise<UnreadTotals> {
  const [row] = await sql.query<{ unread: number | null; conversations: number; mentions: number }>(
    `select sum(u.unread) filter (where not u.muted) as unread,
       count(*) filter (where not u.muted and u.unread > 0) as conversations,
       (select count(*) from message_mentions mm join conversation_members x
          on x.conversation_id = mm.conversation_id and x.user_id = mm.user_id
        where mm.user_id = $1 and mm.seq > x.last_read_seq) as mentions
     from (select m.muted, ${unreadAfterCursor} as unread
       from conversation_members m join conversations c on c.id = m.conversation_id where m.user_id = $1) u`,
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
