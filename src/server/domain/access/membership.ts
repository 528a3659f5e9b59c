// Changing who is in a conversation, and keeping the invariant that every member is in scope: adding only
// users the conversation's rules admit, and removing (with their live sockets) those a change puts out.
import type { Conversation, User } from '../../../protocol/models.ts';
import type { FanOut } from '../../fanout/fanout.ts';
import { findConversationSummary } from '../../store/conversation-summaries.ts';
import { type ConversationFacts, listMembershipFacts } from '../../store/conversations.ts';
import type { Database } from '../../store/db.ts';
import { addMembers, listMemberUsers, removeMembers } from '../../store/members.ts';
import { findUser } from '../../store/users.ts';
import { forbidden } from './errors.ts';
import { type AccessOptions, inChannelScope, isScopedByOrganization, mayShareGroup } from './policy.ts';

export interface MembershipDeps {
  db: Database;
  fanOut: FanOut;
  options: AccessOptions;
}

export function createMembership({ db, fanOut, options }: MembershipDeps) {
  /** Whether `user` may be in the conversation alongside `others` (its other members). */
  function admits(conversation: ConversationFacts, user: User, others: readonly User[]): boolean {
    if (isScopedByOrganization(conversation.kind)) {
      return conversation.policy !== null && inChannelScope(user, conversation.policy);
    }
    return mayShareGroup([user, ...others], options);
  }

  /** Subscribes new members' sockets to the conversation and tells them about it. */
  async function announce(conversationId: string, added: readonly string[]): Promise<void> {
    const [first] = added;
    if (first === undefined) return;
    // Every new member sees the same summary: no unread history, cursor at the end.
    const conversation = (await findConversationSummary(db, conversationId, first)) as Conversation;
    await fanOut.addUsersToConversation(added, conversationId);
    fanOut.toUsers(added, 'conversation:joined', { conversation });
  }

  async function remove(conversationId: string, userIds: readonly string[]): Promise<string[]> {
    const removed = await removeMembers(db, conversationId, userIds);
    await fanOut.removeUsersFromConversation(removed, conversationId);
    fanOut.toUsers(removed, 'conversation:left', { conversationId });
    return removed;
  }

  return {
    admits,

    /** Refuses with `forbidden` unless every candidate may join the conversation with its current members. */
    async checkAdmission(conversation: ConversationFacts, candidates: readonly User[]): Promise<void> {
      const members = await listMemberUsers(db, conversation.id);
      const group = [...members];
      for (const candidate of candidates) {
        if (
          !admits(
            conversation,
            candidate,
            group.filter((member) => member.id !== candidate.id),
          )
        ) {
          throw forbidden(`${candidate.displayName} is outside this conversation's scope`);
        }
        group.push(candidate);
      }
    },

    /** Adds the users, subscribes their sockets and tells them; returns the ids that were not members yet. */
    async add(conversationId: string, userIds: readonly string[]): Promise<string[]> {
      const added = await addMembers(db, conversationId, userIds);
      await announce(conversationId, added);
      return added;
    },

    announce,

    remove,

    /** After a policy change: removes the members the conversation no longer admits. */
    async enforce(conversation: ConversationFacts): Promise<string[]> {
      const members = await listMemberUsers(db, conversation.id);
      const outside = members.filter(
        (member) =>
          !admits(
            conversation,
            member,
            members.filter((m) => m !== member),
          ),
      );
      return remove(
        conversation.id,
        outside.map((member) => member.id),
      );
    },

    /**
     * After a user's organisation or role changed: removes them from every conversation that no longer
     * admits them. Returns the conversation ids they lost.
     */
    async reconcileUser(userId: string): Promise<string[]> {
      const user = await findUser(db, userId);
      if (!user) return [];
      const lost: string[] = [];
      for (const conversation of await listMembershipFacts(db, userId)) {
        const others = isScopedByOrganization(conversation.kind)
          ? []
          : (await listMemberUsers(db, conversation.id)).filter((m) => m.id !== userId);
        if (!admits(conversation, user, others)) {
          await remove(conversation.id, [userId]);
          lost.push(conversation.id);
        }
      }
      return lost;
    },
  };
}

export type Membership = ReturnType<typeof createMembership>;
