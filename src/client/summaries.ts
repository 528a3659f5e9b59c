// Keeping a conversation's summary (last message, unread and mention counts, receipts, mute, what all its
// members see) up to date between syncs, by the server's rules: others' messages after the read cursor are
// unread (changes never are); sending reads everything, so the sender's receipt moves too.
import type { ConversationUpdate } from '../protocol/events.ts';
import type { ChangedMessage, Conversation, ConversationMember, Message } from '../protocol/models.ts';
import { quoteOf } from '../protocol/quotes.ts';
import { isShownEntry } from './timeline.ts';

/**
 * The summary after entries joined the conversation's timeline. A change moves `lastSeq` and counts as a
 * mention for whom an edit newly mentions, but is never unread, never makes the conversation more recent
 * and moves no receipt; it updates the last message when it changed that one.
 */
export function withNewMessages(
  conversation: Conversation,
  appended: readonly Message[],
  meId: string | undefined,
): Conversation {
  let next = conversation;
  for (const message of appended) {
    if (message.seq <= next.lastSeq) continue;
    const mine = message.senderId === meId;
    const mentionsMe = !mine && meId !== undefined && message.mentions.includes(meId);
    if (!isShownEntry(message)) {
      next = {
        ...next,
        lastSeq: message.seq,
        mentionCount: next.mentionCount + (mentionsMe ? 1 : 0),
        lastMessage: withChange(next.lastMessage, message.change?.target),
      };
      continue;
    }
    next = {
      ...next,
      lastSeq: message.seq,
      lastMessage: message,
      updatedAt: message.createdAt,
      lastReadSeq: mine ? message.seq : next.lastReadSeq,
      unreadCount: mine ? 0 : next.unreadCount + 1,
      mentionCount: mine ? 0 : next.mentionCount + (mentionsMe ? 1 : 0),
      members: withReceipt(next.members, message.senderId, message.seq),
    };
  }
  return next;
}

/**
 * The summary after the user read up to `lastReadSeq` (on any tab), or after what is unread there was
 * counted again at the same cursor (a message that mentioned them was deleted).
 */
export function withReadCursor(
  conversation: Conversation,
  cursor: { lastReadSeq: number; unreadCount: number; mentionCount: number },
): Conversation {
  if (cursor.lastReadSeq < conversation.lastReadSeq) return conversation;
  const { lastReadSeq, unreadCount, mentionCount } = cursor;
  if (
    lastReadSeq === conversation.lastReadSeq &&
    unreadCount === conversation.unreadCount &&
    mentionCount === conversation.mentionCount
  )
    return conversation;
  return { ...conversation, lastReadSeq, unreadCount, mentionCount };
}

/** The last message after a change: replaced when it is the one changed, its quote updated when it quotes it. */
function withChange(last: Message | null, target: ChangedMessage | undefined): Message | null {
  if (!last || !target) return last;
  if (target.id === last.id) return target.revisionSeq > last.revisionSeq ? target : last;
  if (last.replyTo?.messageId !== target.id) return last;
  return { ...last, replyTo: quoteOf(target) };
}

/** The summary after a member of a direct or group conversation read up to `lastReadSeq` (a receipt). */
export function withReadBy(conversation: Conversation, userId: string, lastReadSeq: number): Conversation {
  if (!conversation.members) return conversation;
  return { ...conversation, members: withReceipt(conversation.members, userId, lastReadSeq) };
}

/** Members' read cursors only move forward: a receipt older than the one held changes nothing. */
function withReceipt(
  members: ConversationMember[] | null,
  userId: string,
  lastReadSeq: number,
): ConversationMember[] | null {
  return (
    members?.map((member) =>
      member.id === userId ? { ...member, lastReadSeq: Math.max(member.lastReadSeq, lastReadSeq) } : member,
    ) ?? null
  );
}

/**
 * The summary after a change its members all see (`conversation:updated`). The update was read before it
 * was sent, so a message or receipt that arrived meanwhile may be newer than it: neither goes back.
 */
export function withUpdate(conversation: Conversation, update: ConversationUpdate): Conversation {
  const members =
    update.members?.map((member) => {
      const held = conversation.members?.find((m) => m.id === member.id);
      return held && held.lastReadSeq > member.lastReadSeq
        ? { ...member, lastReadSeq: held.lastReadSeq }
        : member;
    }) ?? null;
  // ISO-8601 timestamps in one format order as strings.
  const updatedAt =
    update.updatedAt.localeCompare(conversation.updatedAt) > 0 ? update.updatedAt : conversation.updatedAt;
  return { ...conversation, ...update, updatedAt, members };
}

/** The summary after the user muted or unmuted the conversation (on any tab). */
export function withMuted(conversation: Conversation, muted: boolean): Conversation {
  return conversation.muted === muted ? conversation : { ...conversation, muted };
}
