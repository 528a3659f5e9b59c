// Running a channel: renaming, re-scoping and (un)archiving it, its member list and removing members. The
// administration API and the channel's own managers take the same steps; only who may take them differs.
import type { ChannelMembersResponse } from '../../../protocol/channel-members.ts';
import { ParleyError } from '../../../protocol/errors.ts';
import type { ChannelListing, ChannelPolicy, User } from '../../../protocol/models.ts';
import type { UpdateChannelRequest } from '../../../protocol/rest.ts';
import type { FanOut } from '../../fanout/fanout.ts';
import { listChannels, updateChannel } from '../../store/channels.ts';
import { type ConversationFacts, findConversationFacts } from '../../store/conversations.ts';
import type { Database } from '../../store/db.ts';
import { isMember, listMemberUsers } from '../../store/members.ts';
import type { Directory } from '../access/directory.ts';
import { conversationNotFound, forbidden, userNotFound } from '../access/errors.ts';
import type { Membership } from '../access/membership.ts';
import { inChannelScope, mayInvite, mayManageChannel, mayMentionEveryone } from '../access/policy.ts';
import { announceConversationUpdate } from './conversation-update.ts';
import { normalizeChannelName } from './conversations.ts';
import { createOrganizationCheck } from './organization-check.ts';

export interface ChannelSettingsDeps {
  db: Database;
  fanOut: FanOut;
  directory: Directory;
  membership: Membership;
}

/** The policy a change leaves: the parts it does not name stay as they were. */
function policyAfter(before: ConversationFacts, changes: UpdateChannelRequest): ChannelPolicy | undefined {
  return changes.policy && before.policy ? { ...before.policy, ...changes.policy } : undefined;
}

export function createChannelSettings({ db, fanOut, directory, membership }: ChannelSettingsDeps) {
  const organizations = createOrganizationCheck(db);

  async function channelFacts(conversationId: string): Promise<ConversationFacts> {
    const facts = await findConversationFacts(db, conversationId);
    if (facts?.kind !== 'channel') throw conversationNotFound();
    return facts;
  }

  /**
   * Renames, re-scopes or (un)archives; members the new policy leaves out lose the channel at once. Answers
   * the channel as the actor now sees it in the browser.
   */
  async function change(
    actor: User,
    conversationId: string,
    changes: UpdateChannelRequest,
  ): Promise<ChannelListing> {
    const policy = policyAfter(await channelFacts(conversationId), changes);
    if (policy) await organizations.requireAll(policy.orgIds);
    const name = changes.name === undefined ? undefined : normalizeChannelName(changes.name);
    const { archived, broadcastMentions } = changes;
    if (!(await updateChannel(db, conversationId, { name, policy, archived, broadcastMentions }))) {
      throw new ParleyError('name_taken', `a channel named "${name}" already exists`);
    }
    if (policy) await membership.enforce(await channelFacts(conversationId));
    await announceConversationUpdate({ db, fanOut }, conversationId);
    const [listing] = (await listChannels(db, null)).filter((channel) => channel.id === conversationId);
    return { ...(listing as ChannelListing), isMember: await isMember(db, conversationId, actor.id) };
  }

  /** Removes one member, who loses the channel live; the members who remain hear the new count. */
  async function removeMember(conversationId: string, userId: string): Promise<void> {
    if ((await membership.remove(conversationId, [userId])).length === 0) throw userNotFound([userId]);
  }

  /** The channel's facts when the actor is in it; a conversation they are not in does not exist for them. */
  async function asMember(actor: User, conversationId: string): Promise<ConversationFacts> {
    const [facts, member] = await Promise.all([
      findConversationFacts(db, conversationId),
      isMember(db, conversationId, actor.id),
    ]);
    if (!facts || !member) throw conversationNotFound();
    if (facts.kind !== 'channel') throw forbidden('only channels have members to manage here');
    return facts;
  }

  async function asManager(actor: User, conversationId: string): Promise<ConversationFacts> {
    const facts = await asMember(actor, conversationId);
    if (!mayManageChannel(actor, facts.createdBy)) {
      throw forbidden("only the channel's creator or an admin of the internal organisation may change it");
    }
    return facts;
  }

  return {
    channelFacts,
    change,
    removeMember,

    /** A manager's change: the same as an admin's, except that nobody may scope themselves out. */
    async update(
      sessionUser: User,
      conversationId: string,
      changes: UpdateChannelRequest,
    ): Promise<ChannelListing> {
      const actor = await directory.current(sessionUser);
      const policy = policyAfter(await asManager(actor, conversationId), changes);
      if (policy && !inChannelScope(actor, policy))
        throw forbidden('that policy would put you out of the channel');
      return change(actor, conversationId, changes);
    },

    /** Who is in the channel, for its members, and what the asking member may do about it. */
    async members(sessionUser: User, conversationId: string): Promise<ChannelMembersResponse> {
      const actor = await directory.current(sessionUser);
      const facts = await asMember(actor, conversationId);
      const members = (await listMemberUsers(db, conversationId)).map(({ email: _, ...member }) => member);
      return {
        members,
        createdBy: facts.createdBy,
        mayManage: mayManageChannel(actor, facts.createdBy),
        mayInvite: mayInvite(actor) && facts.archivedAt === null,
        broadcastMentions: facts.broadcastMentions,
        mayMentionEveryone: mayMentionEveryone(actor, facts) && facts.archivedAt === null,
      };
    },

    /** A manager removes anyone; every member may remove themselves, which is leaving. */
    async remove(sessionUser: User, conversationId: string, userId: string): Promise<void> {
      const actor = await directory.current(sessionUser);
      if (userId === actor.id) await asMember(actor, conversationId);
      else await asManager(actor, conversationId);
      await removeMember(conversationId, userId);
    },
  };
}

export type ChannelSettings = ReturnType<typeof createChannelSettings>;
