// Conversations a user takes part in: starting DMs, groups and channels, joining and leaving, inviting,
// listing and reading them. Every operation checks access here, whichever transport asked.
import { ParleyError } from '../../../protocol/errors.ts';
import type { ChannelListing, ChannelPolicy, Conversation, Role, User } from '../../../protocol/models.ts';
import { roles } from '../../../protocol/models.ts';
import type { CreateChannelRequest, CreateConversationRequest } from '../../../protocol/rest.ts';
import { listChannels } from '../../store/channels.ts';
import { findConversationSummary, listConversationSummaries } from '../../store/conversation-summaries.ts';
import {
  type ConversationFacts,
  findConversationFacts,
  findDirectConversationId,
  insertConversation,
  type NewConversation,
} from '../../store/conversations.ts';
import type { Database } from '../../store/db.ts';
import { addMembers, isMember, listConversationIdsShownTo } from '../../store/members.ts';
import type { Directory } from '../access/directory.ts';
import { conversationNotFound, forbidden } from '../access/errors.ts';
import type { Membership } from '../access/membership.ts';
import { hasRole, inChannelScope, mayCreateChannel, mayInvite } from '../access/policy.ts';
import { createOrganizationCheck } from './organization-check.ts';

export interface ConversationsDeps {
  db: Database;
  directory: Directory;
  membership: Membership;
  newId: () => string;
}

export interface StartedConversation {
  conversation: Conversation;
  /** False when an existing direct conversation was returned instead. */
  created: boolean;
}

/** Both members of a direct conversation in a canonical order, encoded so that no id can fake another pair. */
export function directKey(a: string, b: string): string {
  return JSON.stringify(a < b ? [a, b] : [b, a]);
}

/** Channel names are stored as Slack users know them: lowercase, no spaces, no leading '#'. */
export function normalizeChannelName(name: string): string {
  const normalized = name.trim().replace(/^#/, '').toLowerCase();
  if (!/^[\p{Ll}\p{Nd}][\p{Ll}\p{Nd}_-]*$/u.test(normalized)) {
    throw new ParleyError(
      'invalid_payload',
      'channel names use lowercase letters, digits, "-" and "_", and start with a letter or digit',
    );
  }
  return normalized;
}

/** The roles a channel may require for `user` to be in scope: theirs and every lower one. */
export function rolesAtOrBelow(role: Role): Role[] {
  return roles.filter((candidate) => hasRole({ role }, candidate));
}

/** A conversation about to be stored, as its facts will read once it is: not archived, the default rules. */
const factsOfNew = (conversation: NewConversation): ConversationFacts => ({
  ...conversation,
  archivedAt: null,
  broadcastMentions: 'members',
});

export function createConversations({ db, directory, membership, newId }: ConversationsDeps) {
  const organizations = createOrganizationCheck(db);

  async function summaryFor(conversationId: string, userId: string): Promise<Conversation> {
    const conversation = await findConversationSummary(db, conversationId, userId);
    if (!conversation) throw conversationNotFound();
    return conversation;
  }

  /**
   * Inserts the conversation and its members in one transaction (a conversation is never visible without
   * its members), then announces it; false when its unique key was taken meanwhile. Members in `awaiting`
   * are shown it only with its first message.
   */
  async function insertWithMembers(
    conversation: NewConversation,
    memberIds: readonly string[],
    awaiting: readonly string[] = [],
  ): Promise<boolean> {
    const added = await db.transaction(async (tx) =>
      (await insertConversation(tx, conversation))
        ? addMembers(tx, conversation.id, memberIds, awaiting)
        : null,
    );
    if (added) await membership.announce(conversation.id, added, awaiting);
    return added !== null;
  }

  /**
   * A DM or group is shown to the people its starter invited once something is written in it: an empty
   * conversation someone opened and left says nothing to the others (docs/access.md).
   */
  const invitedBy = (actor: User, memberIds: readonly string[]) => memberIds.filter((id) => id !== actor.id);

  async function startDirect(actor: User, otherId: string): Promise<StartedConversation> {
    await directory.reachable(actor, [otherId]);
    const key = directKey(actor.id, otherId);
    const memberIds = [...new Set([actor.id, otherId])];
    const existing = await findDirectConversationId(db, key);
    if (existing) return { conversation: await reopenDirect(actor, existing, memberIds), created: false };
    const id = newId();
    if (
      !(await insertWithMembers(
        { id, kind: 'direct', name: null, directKey: key, policy: null, createdBy: actor.id },
        memberIds,
        invitedBy(actor, memberIds),
      ))
    ) {
      // Both users opened the DM at the same instant: the other request's row won the unique key.
      const winner = await findDirectConversationId(db, key);
      if (!winner) throw new Error(`direct conversation ${key} vanished after a conflict`);
      return { conversation: await reopenDirect(actor, winner, memberIds), created: false };
    }
    return { conversation: await summaryFor(id, actor.id), created: true };
  }

  /**
   * The DM of the pair, as the actor starts it again: shown to them now even if the other side started it
   * and wrote nothing yet. Either side may have lost it when an access change put it out of scope; reaching
   * here, both are allowed again.
   */
  async function reopenDirect(actor: User, conversationId: string, memberIds: readonly string[]) {
    await membership.add(conversationId, memberIds, invitedBy(actor, memberIds));
    await membership.showTo(conversationId, actor.id);
    return summaryFor(conversationId, actor.id);
  }

  async function startGroup(
    actor: User,
    name: string | null,
    invitedIds: readonly string[],
  ): Promise<StartedConversation> {
    const memberIds = [...new Set([actor.id, ...invitedIds])];
    if (memberIds.length < 2)
      throw new ParleyError('invalid_payload', 'a group needs at least one member besides you');
    const members = await directory.reachable(actor, memberIds);
    const group: NewConversation = {
      id: newId(),
      kind: 'group',
      name,
      directKey: null,
      policy: null,
      createdBy: actor.id,
    };
    await membership.checkAdmission(factsOfNew(group), members);
    await insertWithMembers(group, memberIds, invitedBy(actor, memberIds));
    return { conversation: await summaryFor(group.id, actor.id), created: true };
  }

  async function startChannel(actor: User, request: CreateChannelRequest): Promise<StartedConversation> {
    if (!mayCreateChannel(actor))
      throw forbidden('only staff of the internal organisation may create channels');
    const name = normalizeChannelName(request.name);
    const memberIds = [...new Set([actor.id, ...request.memberIds])];
    const members = await directory.reachable(actor, memberIds);
    const policy: ChannelPolicy = {
      orgIds: request.policy?.orgIds ?? [...new Set(members.map((member) => member.orgId))],
      minRole: request.policy?.minRole ?? 'viewer',
      visibility: request.policy?.visibility ?? 'public',
    };
    await organizations.requireAll(policy.orgIds);
    const channel: NewConversation = {
      id: newId(),
      kind: 'channel',
      name,
      directKey: null,
      policy,
      createdBy: actor.id,
    };
    await membership.checkAdmission(factsOfNew(channel), members);
    if (!(await insertWithMembers(channel, memberIds))) {
      throw new ParleyError('name_taken', `a channel named "${name}" already exists`);
    }
    return { conversation: await summaryFor(channel.id, actor.id), created: true };
  }

  /** The conversation's facts when the actor is a member; not_found otherwise. */
  async function memberFacts(actor: User, conversationId: string) {
    const [facts, member] = await Promise.all([
      findConversationFacts(db, conversationId),
      isMember(db, conversationId, actor.id),
    ]);
    if (!facts || !member) throw conversationNotFound();
    return facts;
  }

  return {
    async start(sessionUser: User, request: CreateConversationRequest): Promise<StartedConversation> {
      const actor = await directory.current(sessionUser);
      switch (request.kind) {
        case 'direct':
          return startDirect(actor, request.memberIds[0] as string);
        case 'group':
          return startGroup(actor, request.name ?? null, request.memberIds);
        case 'channel':
          return startChannel(actor, request);
      }
    },

    list(actor: User): Promise<Conversation[]> {
      return listConversationSummaries(db, actor.id);
    },

    /** Ids of every conversation shown to the user: the rooms their sockets listen to. */
    idsOf(actor: User): Promise<string[]> {
      return listConversationIdsShownTo(db, actor.id);
    },

    get(actor: User, conversationId: string): Promise<Conversation> {
      return summaryFor(conversationId, actor.id);
    },

    /** Channels the user is in, and public ones they may join. */
    async browseChannels(sessionUser: User): Promise<ChannelListing[]> {
      const actor = await directory.current(sessionUser);
      return listChannels(db, {
        userId: actor.id,
        scope: { orgId: actor.orgId, roles: rolesAtOrBelow(actor.role) },
      });
    },

    /** Joins a public channel in the user's scope; private or out-of-scope channels do not exist for them. */
    async join(sessionUser: User, conversationId: string): Promise<Conversation> {
      const actor = await directory.current(sessionUser);
      const facts = await findConversationFacts(db, conversationId);
      if (await isMember(db, conversationId, actor.id)) return summaryFor(conversationId, actor.id);
      const joinable =
        facts?.kind === 'channel' &&
        facts.policy?.visibility === 'public' &&
        facts.archivedAt === null &&
        inChannelScope(actor, facts.policy);
      if (!joinable) throw conversationNotFound();
      await membership.add(conversationId, [actor.id]);
      return summaryFor(conversationId, actor.id);
    },

    async leave(actor: User, conversationId: string): Promise<void> {
      const facts = await memberFacts(actor, conversationId);
      if (facts.kind === 'direct') throw forbidden('a direct conversation cannot be left');
      await membership.remove(conversationId, [actor.id]);
    },

    /** Invites users into a channel or group the actor is in; everyone invited must be in its scope. */
    async addMembers(
      sessionUser: User,
      conversationId: string,
      userIds: readonly string[],
    ): Promise<string[]> {
      const actor = await directory.current(sessionUser);
      const facts = await memberFacts(actor, conversationId);
      if (facts.kind === 'direct') throw forbidden('start a group to talk with more people');
      if (facts.archivedAt !== null) throw forbidden('the conversation is archived');
      if (!mayInvite(actor)) throw forbidden('viewers cannot add members');
      const candidates = await directory.reachable(actor, userIds);
      await membership.checkAdmission(facts, candidates);
      return membership.add(conversationId, userIds);
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;
