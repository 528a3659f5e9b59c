// Running channels from the SDK: creating them, changing them, and who is in them, within the access rules
// (docs/access.md). Changes reach every open client through live events; what this client created is listed
// at once, before its socket hears of it.
import type { ChannelMembersResponse } from '../protocol/channel-members.ts';
import type { ChannelListing, Conversation } from '../protocol/models.ts';
import type { CreateChannelRequest, UpdateChannelRequest } from '../protocol/rest.ts';
import type { ParleyRest } from './rest.ts';

export type NewChannel = Omit<CreateChannelRequest, 'kind' | 'memberIds'> & { memberIds?: string[] };

export class ChannelManagement {
  /** @param hold keeps a conversation a REST call answered until the socket confirms it. */
  constructor(
    private readonly rest: ParleyRest,
    private readonly hold: (conversation: Conversation) => Conversation,
  ) {}

  /** Creates a channel with its policy (unnamed parts default to the members' organisations, any role, public). */
  async createChannel(channel: NewChannel): Promise<Conversation> {
    return this.hold(await this.rest.createChannel({ memberIds: [], ...channel }));
  }

  /** Renames, re-scopes or (un)archives a channel; members a narrower policy leaves out lose it at once. */
  updateChannel(conversationId: string, changes: UpdateChannelRequest): Promise<ChannelListing> {
    return this.rest.updateChannel(conversationId, changes);
  }

  rename(conversationId: string, name: string): Promise<ChannelListing> {
    return this.updateChannel(conversationId, { name });
  }

  /** Archived channels stay readable by their members; nobody can post or invite until unarchived. */
  archive(conversationId: string, archived = true): Promise<ChannelListing> {
    return this.updateChannel(conversationId, { archived });
  }

  /** Answers the ids that were not members yet; refused when anyone is outside the conversation's scope. */
  addMembers(conversationId: string, userIds: string[]): Promise<string[]> {
    return this.rest.addMembers(conversationId, userIds);
  }

  /** Removing oneself is leaving; removing others needs running the channel. */
  removeMember(conversationId: string, userId: string): Promise<void> {
    return this.rest.removeMember(conversationId, userId);
  }

  /** Who is in a channel (with organisation and role), and what this user may do about it. */
  members(conversationId: string): Promise<ChannelMembersResponse> {
    return this.rest.channelMembers(conversationId);
  }

  leave(conversationId: string): Promise<void> {
    return this.rest.leave(conversationId);
  }
}
