// Conversations a user takes part in: starting DMs, groups and channels, listing them, reading them.
import { ParleyError } from '../../../protocol/errors.ts';
import type { Conversation, User } from '../../../protocol/models.ts';
import type { CreateConversationRequest } from '../../../protocol/rest.ts';
import type { FanOut } from '../../fanout/fanout.ts';
import {
  addMembers,
  advanceReadCursor,
  findConversationSummary,
  findDirectConversationId,
  insertConversation,
  listConversationIdsOfUser,
  listConversationSummaries,
  type NewConversation,
} from '../../store/conversations.ts';
import type { Database } from '../../store/db.ts';
import { findUsers } from '../../store/users.ts';

export interface ConversationsDeps {
  db: Database;
  fanOut: FanOut;
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

export function createConversations({ db, fanOut, newId }: ConversationsDeps) {
  async function requireUsers(ids: readonly string[]): Promise<void> {
    const found = new Set((await findUsers(db, ids)).map((user) => user.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw new ParleyError('not_found', `unknown user: ${missing.join(', ')}`);
  }

  async function summaryFor(conversationId: string, userId: string): Promise<Conversation> {
    const conversation = await findConversationSummary(db, conversationId, userId);
    if (!conversation) throw notFound();
    return conversation;
  }

  /** Inserts the conversation and its members together; false when its unique key was taken meanwhile. */
  async function insertWithMembers(
    conversation: NewConversation,
    memberIds: readonly string[],
  ): Promise<boolean> {
    return db.transaction(async (tx) => {
      if (!(await insertConversation(tx, conversation))) return false;
      await addMembers(tx, conversation.id, memberIds);
      return true;
    });
  }

  async function announce(
    conversationId: string,
    memberIds: readonly string[],
    creatorId: string,
  ): Promise<Conversation> {
    const conversation = await summaryFor(conversationId, creatorId);
    await fanOut.addUsersToConversation(memberIds, conversationId);
    fanOut.toUsers(memberIds, 'conversation:joined', { conversation });
    return conversation;
  }

  async function startDirect(actor: User, otherId: string): Promise<StartedConversation> {
    const key = directKey(actor.id, otherId);
    const existing = await findDirectConversationId(db, key);
    if (existing) return { conversation: await summaryFor(existing, actor.id), created: false };
    await requireUsers([otherId]);
    const memberIds = [...new Set([actor.id, otherId])];
    const id = newId();
    const inserted = await insertWithMembers(
      { id, kind: 'direct', name: null, directKey: key, createdBy: actor.id },
      memberIds,
    );
    if (!inserted) {
      // Both users opened the DM at the same instant: the other request's row won the unique key.
      const winner = await findDirectConversationId(db, key);
      if (!winner) throw new Error(`direct conversation ${key} vanished after a conflict`);
      return { conversation: await summaryFor(winner, actor.id), created: false };
    }
    return { conversation: await announce(id, memberIds, actor.id), created: true };
  }

  async function startShared(
    actor: User,
    kind: 'group' | 'channel',
    name: string | null,
    invitedIds: readonly string[],
  ): Promise<StartedConversation> {
    const memberIds = [...new Set([actor.id, ...invitedIds])];
    if (kind === 'group' && memberIds.length < 2) {
      throw new ParleyError('invalid_payload', 'a group needs at least one member besides you');
    }
    await requireUsers(memberIds.filter((id) => id !== actor.id));
    const id = newId();
    if (!(await insertWithMembers({ id, kind, name, directKey: null, createdBy: actor.id }, memberIds))) {
      throw new ParleyError('name_taken', `a channel named "${name}" already exists`);
    }
    return { conversation: await announce(id, memberIds, actor.id), created: true };
  }

  return {
    start(actor: User, request: CreateConversationRequest): Promise<StartedConversation> {
      switch (request.kind) {
        case 'direct':
          return startDirect(actor, request.memberIds[0] as string);
        case 'group':
          return startShared(actor, 'group', request.name ?? null, request.memberIds);
        case 'channel':
          return startShared(actor, 'channel', normalizeChannelName(request.name), request.memberIds);
      }
    },

    list(actor: User): Promise<Conversation[]> {
      return listConversationSummaries(db, actor.id);
    },

    /** Ids of every conversation the user is a member of: the rooms their sockets listen to. */
    idsOf(actor: User): Promise<string[]> {
      return listConversationIdsOfUser(db, actor.id);
    },

    get(actor: User, conversationId: string): Promise<Conversation> {
      return summaryFor(conversationId, actor.id);
    },

    /** Moves the reader's cursor forward and tells all of the reader's tabs; returns the cursor. */
    async markRead(actor: User, conversationId: string, seq: number): Promise<number> {
      const lastReadSeq = await advanceReadCursor(db, conversationId, actor.id, seq);
      if (lastReadSeq === null) throw notFound();
      fanOut.toUsers([actor.id], 'conversation:read', { conversationId, lastReadSeq });
      return lastReadSeq;
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;

/** The same answer whether the conversation does not exist or the user may not see it: existence must not leak. */
export function notFound(): ParleyError {
  return new ParleyError('not_found', 'conversation not found');
}
