// Telling a conversation's members what changed for all of them alike (names, policy, record, audience,
// who is in it): read back after the change, so that live clients hold what a fresh sync would return.
import type { ConversationUpdate } from '../../../protocol/events.ts';
import type { Conversation } from '../../../protocol/models.ts';
import type { FanOut } from '../../fanout/fanout.ts';
import { findConversationSummaryOfAnyMember } from '../../store/conversation-summaries.ts';
import type { Database } from '../../store/db.ts';

/** The part of a member's summary that every member sees alike. */
export function conversationUpdateOf(conversation: Conversation): ConversationUpdate {
  const { id, name, updatedAt, memberCount, policy, archivedAt, record, audience, members } = conversation;
  return { id, name, updatedAt, memberCount, policy, archivedAt, record, audience, members };
}

/** Sends `conversation:updated` to every socket now in the conversation's room. */
export function sendConversationUpdate(fanOut: FanOut, conversation: Conversation): void {
  fanOut.toConversation(conversation.id, 'conversation:updated', {
    conversation: conversationUpdateOf(conversation),
  });
}

/** Reads the conversation as it is now and tells its members; nothing when nobody is left in it. */
export async function announceConversationUpdate(
  { db, fanOut }: { db: Database; fanOut: FanOut },
  conversationId: string,
): Promise<void> {
  const conversation = await findConversationSummaryOfAnyMember(db, conversationId);
  if (conversation) sendConversationUpdate(fanOut, conversation);
}
