// Administering Parley: channels and their policies, members, organisations and users. Only admins of the
// internal organisation may; every change that narrows access removes the people it puts out at once.
import { ParleyError } from '../../../protocol/errors.ts';
import type { ChannelListing, Organization, User } from '../../../protocol/models.ts';
import type { CreateChannelRequest, UpdateChannelRequest } from '../../../protocol/rest.ts';
import type { FanOut } from '../../fanout/fanout.ts';
import { listChannels, updateChannel } from '../../store/channels.ts';
import { type ConversationFacts, findConversationFacts } from '../../store/conversations.ts';
import type { Database } from '../../store/db.ts';
import { findUsers, listOrganizations, listUsers, updateOrganization } from '../../store/users.ts';
import type { Directory } from '../access/directory.ts';
import { conversationNotFound, userNotFound } from '../access/errors.ts';
import type { Membership } from '../access/membership.ts';
import { announceConversationUpdate } from '../conversations/conversation-update.ts';
import {
  type Conversations,
  normalizeChannelName,
  type StartedConversation,
} from '../conversations/conversations.ts';
import { createOrganizationCheck } from '../conversations/organization-check.ts';

export interface AdministrationDeps {
  db: Database;
  fanOut: FanOut;
  directory: Directory;
  membership: Membership;
  conversations: Conversations;
}

export function createAdministration({
  db,
  fanOut,
  directory,
  membership,
  conversations,
}: AdministrationDeps) {
  const organizations = createOrganizationCheck(db);

  const requireAdmin = (user: User) => directory.requireParleyAdmin(user);

  async function channelFacts(conversationId: string): Promise<ConversationFacts> {
    const facts = await findConversationFacts(db, conversationId);
    if (facts?.kind !== 'channel') throw conversationNotFound();
    return facts;
  }

  async function existingUsers(ids: readonly string[]): Promise<User[]> {
    const users = await findUsers(db, ids);
    const missing = ids.filter((id) => !users.some((user) => user.id === id));
    if (missing.length > 0) throw userNotFound(missing);
    return users;
  }

  return {
    async listUsers(actor: User): Promise<User[]> {
      await requireAdmin(actor);
      return listUsers(db);
    },

    async listOrganizations(actor: User): Promise<Organization[]> {
      await requireAdmin(actor);
      return listOrganizations(db);
    },

    /** Renames or re-kinds an organisation; a new kind re-checks every membership of its users. */
    async updateOrganization(
      actor: User,
      orgId: string,
      changes: { name?: string | undefined; kind?: Organization['kind'] | undefined },
    ): Promise<Organization> {
      await requireAdmin(actor);
      const organization = await updateOrganization(db, orgId, changes);
      if (!organization) throw new ParleyError('not_found', `unknown organisation: ${orgId}`);
      if (changes.kind) {
        for (const user of (await listUsers(db)).filter((u) => u.orgId === orgId))
          await membership.reconcileUser(user.id);
      }
      return organization;
    },

    async listChannels(actor: User): Promise<ChannelListing[]> {
      await requireAdmin(actor);
      return listChannels(db, null);
    },

    async createChannel(actor: User, request: CreateChannelRequest): Promise<StartedConversation> {
      await requireAdmin(actor);
      return conversations.start(actor, request);
    },

    /** Renames, re-scopes or (un)archives a channel; members the new policy leaves out lose it at once. */
    async updateChannel(
      actor: User,
      conversationId: string,
      changes: UpdateChannelRequest,
    ): Promise<ChannelListing> {
      await requireAdmin(actor);
      const before = await channelFacts(conversationId);
      const policy = changes.policy && before.policy ? { ...before.policy, ...changes.policy } : undefined;
      if (policy) await organizations.requireAll(policy.orgIds);
      const name = changes.name === undefined ? undefined : normalizeChannelName(changes.name);
      if (!(await updateChannel(db, conversationId, { name, policy, archived: changes.archived }))) {
        throw new ParleyError('name_taken', `a channel named "${name}" already exists`);
      }
      const after = await channelFacts(conversationId);
      if (policy) await membership.enforce(after);
      await announceConversationUpdate({ db, fanOut }, conversationId);
      const [listing] = (await listChannels(db, null)).filter((channel) => channel.id === conversationId);
      return listing as ChannelListing;
    },

    /** Adds users to any channel, member or not; they must be in its scope. */
    async addMembers(actor: User, conversationId: string, userIds: readonly string[]): Promise<string[]> {
      await requireAdmin(actor);
      const facts = await channelFacts(conversationId);
      await membership.checkAdmission(facts, await existingUsers(userIds));
      return membership.add(conversationId, userIds);
    },

    async removeMember(actor: User, conversationId: string, userId: string): Promise<void> {
      await requireAdmin(actor);
      await channelFacts(conversationId);
      if ((await membership.remove(conversationId, [userId])).length === 0) throw userNotFound([userId]);
    },
  };
}

export type Administration = ReturnType<typeof createAdministration>;
