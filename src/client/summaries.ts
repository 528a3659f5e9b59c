// Keeping a conversation's summary (last message, unread and mention counts, receipts, mute) up to date between syncs,
// by the server's rules: others' messages after the read cursor are unread; sending reads everything.
import type { Conversation, Message } from '../protocol/models.ts';

/** The summary after messages joined the conversation's timeline. */
export function withNewMessages(
  conversation: Conversation,
  appended: readonly Message[],
  meId: string | undefined,
): Conversation {
  let next = conversation;
  for (const message of appended) {
    if (message.seq <= next.lastSeq) continue;
    const mine = message.senderId === meId;
    next = {
      ...next,
      lastSeq: message.seq,
      lastMessage: message,
      updatedAt: message.createdAt,
      lastReadSeq: mine ? message.seq : next.lastReadSeq,
      unreadCount: mine ? 0 : next.unreadCount + 1,
      mentionCount: mine
        ? 0
        : next.mentionCount + (meId !== undefined && message.mentions.includes(meId) ? 1 : 0),
    };
  }
  return next;
}

/** The summary after the user read up to `lastReadSeq` (on any tab). */
export function withReadCursor(
  conversation: Conversation,
  lastReadSeq: number,
  mentionCount: number,
): Conversation {
  if (lastReadSeq <= conversation.lastReadSeq) return conversation;
  return {
    ...conversation,
    lastReadSeq,
    unreadCount: Math.max(0, conversation.lastSeq - lastReadSeq),
    mentionCount,
  };
}

/** The summary after a member of a direct or group conversation read up to `lastReadSeq` (a receipt). */
export function withReadBy(conversation: Conversation, userId: string, lastReadSeq: number): Conversation {
  if (!conversation.members) return conversation;
  const members = conversation.members.map((member) =>
    member.id === userId ? { ...member, lastReadSeq: Math.max(member.lastReadSeq, lastReadSeq) } : member,
  );
  return { ...conversation, members };
}

/** The summary after the user muted or unmuted the conversation (on any tab). */
export function withMuted(conversation: Conversation, muted: boolean): Conversation {
  return conversation.muted === muted ? conversation : { ...conversation, muted };
}
