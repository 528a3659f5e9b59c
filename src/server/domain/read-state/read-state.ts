// Read state: each member's read cursor (forward only), what is unread and mentioned, mute, and receipts.
// Everything is derived from seqs, cursors and counts kept with them, never by counting messages.
import type { ConversationMember, UnreadTotals, User } from '../../../protocol/models.ts';
import type { FanOut } from '../../fanout/fanout.ts';
import { findConversationFacts } from '../../store/conversations.ts';
import type { Database } from '../../store/db.ts';
import { isMember } from '../../store/members.ts';
import { advanceReadCursor, readersOf, setMuted, unreadTotals } from '../../store/read-state.ts';
import { conversationNotFound } from '../access/errors.ts';
import type { DomainEvents } from '../events/domain-events.ts';

export interface ReadStateDeps {
  db: Database;
  fanOut: FanOut;
  events: DomainEvents;
}

export function createReadState({ db, fanOut, events }: ReadStateDeps) {
  return {
    /**
     * Moves the reader's cursor forward (a late or replayed read never moves it back), tells all of the
     * reader's tabs, and in direct and group conversations the other members (read receipts).
     */
    async markRead(actor: User, conversationId: string, seq: number): Promise<number> {
      const cursor = await advanceReadCursor(db, conversationId, actor.id, seq);
      if (cursor === null) throw conversationNotFound();
      const { lastReadSeq, kind, unreadCount, mentionCount } = cursor;
      // The read cancelled the reader's notifications here; what it left unread may need them again.
      if (unreadCount > 0)
        events.publish({ type: 'conversation.partly-read', conversationId, userId: actor.id });
      fanOut.toUsers([actor.id], 'conversation:read', {
        conversationId,
        lastReadSeq,
        unreadCount,
        mentionCount,
      });
      if (kind === 'direct' || kind === 'group') {
        fanOut.toConversation(conversationId, 'conversation:read-by', {
          conversationId,
          userId: actor.id,
          lastReadSeq,
        });
      }
      return lastReadSeq;
    },

    /** Stores the mute and tells all of the user's tabs, which otherwise learn it only at their next sync. */
    async setMuted(actor: User, conversationId: string, muted: boolean): Promise<boolean> {
      const result = await setMuted(db, conversationId, actor.id, muted);
      if (result === null) throw conversationNotFound();
      fanOut.toUsers([actor.id], 'conversation:muted', { conversationId, muted: result });
      return result;
    },

    totals(actor: User): Promise<UnreadTotals> {
      return unreadTotals(db, actor.id);
    },

    /** Who has read a message: a count in channels, the people in direct and group conversations. */
    async receipts(
      actor: User,
      conversationId: string,
      seq: number,
    ): Promise<{ readCount: number; readers: ConversationMember[] | null }> {
      const [facts, member] = await Promise.all([
        findConversationFacts(db, conversationId),
        isMember(db, conversationId, actor.id),
      ]);
      if (!facts || !member) throw conversationNotFound();
      const { readCount, readers } = await readersOf(db, conversationId, seq);
      // In a channel the names of who read what are nobody's business; the count is enough.
      return { readCount, readers: facts.kind === 'channel' ? null : readers };
    },
  };
}

export type ReadState = ReturnType<typeof createReadState>;
