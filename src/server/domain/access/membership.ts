// Changing who is in a conversation, and keeping the invariant that every member is in scope: adding only
// users the conversation's rules admit, and removing (with their live sockets) those a change puts out.
import type { Conversation, User, UserPresence } from '../../../protocol/models.ts';
import type { FanOut } from '../../fanout/fanout.ts';
import {
  findConversationSummariesOfMembers,
  findConversationSummary,
  findConversationSummaryOfAnyMember,
} from '../../store/conversation-summaries.ts';
import { type ConversationFacts, listMembershipFacts } from '../../store/conversations.ts';
import type { Database } from '../../store/db.ts';
import {
  addMembers,
  listMembersAwaitingFirstMessage,
  listMemberUsers,
  removeMembers,
  showToMember,
} from '../../store/members.ts';
import { findUser } from '../../store/users.ts';
import { announceConversationUpdate, sendConversationUpdate } from '../conversations/conversation-update.ts';
import { forbidden } from './errors.ts';
import { type AccessOptions, inChannelScope, isScopedByOrganization, mayShareGroup } from './policy.ts';

export interface MembershipDeps {
  db: Database;
  fanOut: FanOut;
  options: AccessOptions;
  /** The current presence of these users. */
  presenceOf: (userIds: readonly string[]) => Promise<UserPresence[]>;
}

export function createMembership({ db, fanOut, options, presenceOf }: MembershipDeps) {
  /** Whether `user` may be in the conversation alongside `others` (its other members). */
  function admits(conversation: ConversationFacts, user: User, others: readonly User[]): boolean {
    if (isScopedByOrganization(conversation.kind)) {
      return conversation.policy !== null && inChannelScope(user, conversation.policy);
    }
    return mayShareGroup([user, ...others], options);
  }

  /**
   * Tells the members already in that the newcomers came (before the newcomers' sockets join the room, so
   * that they do not hear it twice), then subscribes the newcomers and tells them. Newcomers in `awaiting`
   * hear nothing while the conversation has no message: it is shown to them with its first one (`reveal`).
   */
  async function announce(
    conversationId: string,
    added: readonly string[],
    awaiting: readonly string[] = [],
  ): Promise<void> {
    const first = added.find((id) => !awaiting.includes(id)) ?? added[0];
    if (first === undefined) return;
    // Every new member sees the same summary: no unread history, cursor at the end. When none of them is
    // shown it yet, the members already in still hear of the new member count.
    const conversation = ((await findConversationSummary(db, conversationId, first)) ??
      (await findConversationSummaryOfAnyMember(db, conversationId))) as Conversation;
    const hidden = conversation.lastSeq > 0 ? [] : awaiting;
    const shown = added.filter((id) => !hidden.includes(id));
    sendConversationUpdate(fanOut, conversation);
    await fanOut.addUsersToConversation(shown, conversationId);
    fanOut.toUsers(shown, 'conversation:joined', { conversation });
    await sharePresence(conversation, shown, hidden);
  }

  /**
   * In a direct or group conversation the members see each other's presence (a sync answers it): each
   * newcomer hears everyone else's as it is now, and everyone else each newcomer's, but for the members it
   * is not shown to yet (`hidden`): they hear nothing, as their sync would not tell them either.
   */
  async function sharePresence(
    conversation: Conversation,
    added: readonly string[],
    hidden: readonly string[] = [],
  ): Promise<void> {
    if (!conversation.members) return;
    const memberIds = conversation.members.map((member) => member.id);
    const audience = memberIds.filter((id) => !hidden.includes(id));
    for (const presence of await presenceOf(memberIds)) {
      const told = added.includes(presence.userId) ? audience : added;
      fanOut.toUsers(
        told.filter((id) => id !== presence.userId),
        'presence',
        presence,
      );
    }
  }

  /**
   * After the first messages of these conversations were stored, before anyone hears of them: the members
   * who awaited one are shown the conversation, each with their own summary (unread and mention counts),
   * and join its room so that the messages reach them live next. Their sync lists it already, whatever
   * happens here: the stored message is what shows it.
   */
  async function reveal(conversationIds: readonly string[]): Promise<void> {
    const awaiting = await listMembersAwaitingFirstMessage(db, conversationIds);
    for (const conversationId of new Set(awaiting.map((member) => member.conversationId))) {
      const revealed = awaiting.filter((m) => m.conversationId === conversationId).map((m) => m.userId);
      const summaries = await findConversationSummariesOfMembers(db, conversationId, revealed);
      for (const [userId, conversation] of summaries)
        fanOut.toUsers([userId], 'conversation:joined', { conversation });
      await fanOut.addUsersToConversation(revealed, conversationId);
      const [conversation] = summaries.values();
      if (conversation) await sharePresence(conversation, revealed);
    }
  }

  /** Removes the members and their sockets from the room; the caller tells the members who remain. */
  async function removeUnannounced(conversationId: string, userIds: readonly string[]): Promise<string[]> {
    const removed = await removeMembers(db, conversationId, userIds);
    await fanOut.removeUsersFromConversation(removed, conversationId);
    fanOut.toUsers(removed, 'conversation:left', { conversationId });
    return removed;
  }

  async function remove(conversationId: string, userIds: readonly string[]): Promise<string[]> {
    const removed = await removeUnannounced(conversationId, userIds);
    if (removed.length > 0) await announceConversationUpdate({ db, fanOut }, conversationId);
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

    /**
     * Adds the users, subscribes their sockets and tells them; returns the ids that were not members yet.
     * Those in `awaiting` are told only once the conversation has a message.
     */
    async add(
      conversationId: string,
      userIds: readonly string[],
      awaiting: readonly string[] = [],
    ): Promise<string[]> {
      const added = await addMembers(db, conversationId, userIds, awaiting);
      await announce(conversationId, added, awaiting);
      return added;
    },

    announce,

    reveal,

    /** Shows a conversation with no message yet to a member who awaited it, as if they had just joined. */
    async showTo(conversationId: string, userId: string): Promise<void> {
      if (await showToMember(db, conversationId, userId)) await announce(conversationId, [userId]);
    },

    remove,

    /**
     * After a policy change: removes the members the conversation no longer admits. The caller then tells
     * the members who remain of the change, and so of their new number.
     */
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
      return removeUnannounced(
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
