// Resuming after a (re)connect: everything each conversation missed since the client's cursor, so that
// together with the live events the socket already receives the client has no gap (docs/delivery.md).
import type { ConversationCatchUp, SyncResponse } from '../../../protocol/events.ts';
import type { Conversation, User, UserPresence } from '../../../protocol/models.ts';
import { listConversationSummaries } from '../../store/conversation-summaries.ts';
import type { Database } from '../../store/db.ts';
import { listMessagePage, listMessagesAfterCursors } from '../../store/messages.ts';

export interface SyncDeps {
  db: Database;
  presenceOf: (userIds: readonly string[]) => Promise<UserPresence[]>;
  /** Beyond this many missed messages a conversation is reset instead of replayed. */
  maxCatchUp: number;
  /** Hears how many messages each sync returned, over all its conversations (metrics). */
  onCaughtUp?: (messages: number) => void;
}

export interface SyncInput {
  cursors: Record<string, number>;
  limit: number;
}

type CursorVerdict = 'current' | 'behind' | 'reset';

/** Compares a client's cursor with the conversation's last seq. */
export function judgeCursor(cursor: number, lastSeq: number, maxCatchUp: number): CursorVerdict {
  if (cursor === lastSeq) return 'current';
  // A cursor ahead of the server means the server lost or restored data: what the client holds is not ours.
  if (cursor > lastSeq || lastSeq - cursor > maxCatchUp) return 'reset';
  return 'behind';
}

export function createSync({ db, presenceOf, maxCatchUp, onCaughtUp = () => {} }: SyncDeps) {
  async function resetPage(conversation: Conversation, limit: number): Promise<ConversationCatchUp> {
    const page = await listMessagePage(db, conversation.id, { limit });
    return { conversationId: conversation.id, messages: page.messages, hasMore: false, reset: true };
  }

  return {
    async sync(actor: User, { cursors, limit }: SyncInput): Promise<SyncResponse> {
      const conversations = await listConversationSummaries(db, actor.id);
      const byId = new Map(conversations.map((conversation) => [conversation.id, conversation]));
      const removed = Object.keys(cursors).filter((id) => !byId.has(id));
      const behind: { conversationId: string; after: number }[] = [];
      const resets: Conversation[] = [];
      for (const [conversationId, cursor] of Object.entries(cursors)) {
        const conversation = byId.get(conversationId);
        if (!conversation) continue;
        const verdict = judgeCursor(cursor, conversation.lastSeq, maxCatchUp);
        if (verdict === 'behind') behind.push({ conversationId, after: cursor });
        if (verdict === 'reset') resets.push(conversation);
      }
      const missed = await listMessagesAfterCursors(db, actor.id, behind, limit);
      const catchUp: ConversationCatchUp[] = behind.map(({ conversationId }) => {
        const messages = missed.get(conversationId) ?? [];
        return {
          conversationId,
          messages: messages.slice(0, limit),
          hasMore: messages.length > limit,
          reset: false,
        };
      });
      for (const conversation of resets) catchUp.push(await resetPage(conversation, limit));
      onCaughtUp(catchUp.reduce((sum, conversation) => sum + conversation.messages.length, 0));
      const contacts = new Set(
        conversations.flatMap((conversation) => conversation.members?.map((member) => member.id) ?? []),
      );
      contacts.delete(actor.id);
      return { me: actor, conversations, catchUp, removed, presence: await presenceOf([...contacts]) };
    },
  };
}

export type Sync = ReturnType<typeof createSync>;
