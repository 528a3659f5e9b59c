// Administering Parley: channels and their policies, members, organisations and users. Only admins of the
// internal organisation may; every change that narrows access removes the people it puts out at once.
import { ParleyError } from '../../../protocol/errors.ts';
import type { ChannelListing, Organization, User } from '../../../protocol/models.ts';
import type { CreateChannelRequest, UpdateChannelRequest } from '../../../protocol/rest.ts';
import { listChannels } from '../../store/channels.ts';
import type { Database } from '../../store/db.ts';
import { findUsers, listOrganizations, listUsers, updateOrganization } from '../../store/users.ts';
import type { Directory } from '../access/directory.ts';
import { userNotFound } from '../access/errors.ts';
import type { Membership } from '../access/membership.ts';
import type { ChannelSettings } from '../conversations/channel-settings.ts';
import type { Conversations, StartedConversation } from '../conversations/conversations.ts';

export interface AdministrationDeps {
  db: Database;
  directory: Directory;
  membership: Membership;
  conversations: Conversations;
  channelSettings: ChannelSettings;
}

export function createAdministration({
  db,
  directory,
  membership,
  conversations,
  channelSettings,
}: AdministrationDeps) {
  const requireAdmin = (user: User) => directory.requireParleyAdmin(user);

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
      return channelSettings.change(await requireAdmin(actor), conversationId, changes);
    },

    /** Adds users to any channel, member or not; they must be in its scope. */
    async addMembers(actor: User, conversationId: string, userIds: readonly string[]): Promise<string[]> {
      await requireAdmin(actor);
      const facts = await channelSettings.channelFacts(conversationId);
      await membership.checkAdmission(facts, await existingUsers(userIds));
      return membership.add(conversationId, userIds);
    },

    async removeMember(actor: User, conversationId: string, userId: string): Promise<void> {
      await requireAdmin(actor);
      await channelSettings.channelFacts(conversationId);
      await channelSettings.removeMember(conversationId, userId);
    },
  };
}

export type Administration = ReturnType<typeof createAdministration>;
