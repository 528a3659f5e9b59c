// Who is typing: a signal from one connection, relayed to the conversation's other members (not the typist's
// own tabs) and never stored; at most one per user and conversation per relay interval.
import type { User } from '../../../protocol/models.ts';
import type { FanOut, ServerEventPayload } from '../../fanout/fanout.ts';
import { conversationNotFound } from '../access/errors.ts';
import { createRelayCoalescer } from '../limits/relay-coalescer.ts';

export interface TypingDeps {
  fanOut: FanOut;
  /** At most one signal per user and conversation is relayed in this interval. 0: every signal. */
  relayIntervalMs: number;
}

export function createTyping({ fanOut, relayIntervalMs }: TypingDeps) {
  // Keyed by user and conversation, not connection: a user's many tabs together still relay one signal.
  const relays = createRelayCoalescer<ServerEventPayload<'typing'>>({
    intervalMs: relayIntervalMs,
    relay: (signal) =>
      fanOut.toConversationExceptUser(signal.conversationId, signal.userId, 'typing', signal),
    // A "typing" after one already relayed still counts: listeners drop a typist when their message arrives
    // and after a few quiet seconds, so it may show them typing again. Only a repeated "stopped" is news to none.
    same: (a, b) => !a.typing && !b.typing,
  });

  return {
    /**
     * The user started or stopped typing in the conversation, on `connectionId`. A connection hears a
     * conversation exactly while its user is a member, so that answers who may signal without a query, and
     * nobody outside the conversation ever hears it.
     */
    signal(connectionId: string, user: User, conversationId: string, typing: boolean): void {
      if (!fanOut.isSubscribed(connectionId, conversationId)) throw conversationNotFound();
      relays.offer(JSON.stringify([user.id, conversationId]), { conversationId, userId: user.id, typing });
    },
  };
}

export type Typing = ReturnType<typeof createTyping>;
