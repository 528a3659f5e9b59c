// Actions on a sent message: edit, delete for everyone, react. Each is applied and recorded as a change
// entry in one transaction (store/message-changes.ts), taking its turn in the append queue so that this
// node fans a conversation's messages and changes out in seq order, then reaches every member as
// `message:new` — the same ordered stream, resumed with the same cursors (docs/delivery.md).
import { ParleyError } from '../../../protocol/errors.ts';
import type { MessageActionResponse, MessageVersionsResponse } from '../../../protocol/message-actions.ts';
import type { Message, MessageChangeType, User } from '../../../protocol/models.ts';
import type { FanOut } from '../../fanout/fanout.ts';
import type { Database, Sql } from '../../store/db.ts';
import { isMember } from '../../store/members.ts';
import {
  addReaction,
  type ChangeTarget,
  countEmoji,
  editBody,
  eraseMessage,
  listVersions,
  lockChangeTarget,
  recordChange,
  removeReaction,
} from '../../store/message-changes.ts';
import { findMessageById } from '../../store/messages.ts';
import { readCursorsOf } from '../../store/read-state.ts';
import { forbidden } from '../access/errors.ts';
import { purgeAttachmentsOfMessages } from '../attachments/message-attachments.ts';
import type { ObjectStorage } from '../attachments/storage.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import { admittedMentions } from './append-instructions.ts';
import type { AppendQueue } from './append-queue.ts';
import { checkMessageBody } from './message-body.ts';

/** Different emoji one message may carry: enough for any real use, a bound on a page's size. */
export const MAX_EMOJI_PER_MESSAGE = 50;

export interface MessageActionsDeps {
  db: Database;
  /** Where attachments' bytes are: a delete for everyone removes them after its commit. */
  attachmentStorage: ObjectStorage;
  fanOut: FanOut;
  events: DomainEvents;
  rateLimits: RateLimits;
  maxMessageLength: number;
  /** How long after sending its author may edit a message; null for no limit. */
  editWindowSeconds: number | null;
  /** The append queue's turn for changes: keeps them in order with the sends around them. */
  inTurn: AppendQueue['change'];
  onError: (error: unknown, context: string) => void;
  now?: () => Date;
}

/** The same answer for a message that does not exist and one the actor may not read. */
const messageNotFound = () => new ParleyError('not_found', 'message not found');

/** The company's admins moderate: they may delete anyone's message in the conversations they are in. */
const moderates = (actor: User) => actor.orgKind === 'internal' && actor.role === 'admin';

interface Applied {
  /** The change entry's id, or null when the action changed nothing. */
  changeId: number | null;
  target: ChangeTarget;
  /** Members whose unread mentions the change took away. */
  recounted?: string[];
  /** Runs after the commit: removing the bytes of purged attachments. */
  afterCommit?: () => Promise<void>;
}

export function createMessageActions({
  db,
  attachmentStorage,
  fanOut,
  events,
  rateLimits,
  maxMessageLength,
  editWindowSeconds,
  inTurn,
  onError,
  now = () => new Date(),
}: MessageActionsDeps) {
  /** The message, locked, if the actor is a member of its conversation; else not found. */
  async function readableTarget(tx: Sql, actor: User, messageId: string): Promise<ChangeTarget> {
    const target = await lockChangeTarget(tx, messageId);
    if (!target || !(await isMember(tx, target.conversationId, actor.id))) throw messageNotFound();
    return target;
  }

  async function record(tx: Sql, entry: Parameters<typeof recordChange>[1]): Promise<number> {
    const changeId = await recordChange(tx, entry);
    if (changeId === null) throw forbidden('the conversation is archived');
    return changeId;
  }

  /**
   * Applies `apply` in a transaction in the queue's turn, then (when something changed) fans the change out
   * to the conversation but the connection it came on, whose answer carries it.
   */
  async function act(
    actor: User,
    origin: string | undefined,
    apply: (tx: Sql) => Promise<Applied>,
  ): Promise<MessageActionResponse> {
    await rateLimits.consume('send', actor.id);
    return inTurn(async () => {
      const { change, message, recounted, afterCommit } = await db.transaction(async (tx) => {
        const applied = await apply(tx);
        const change = applied.changeId === null ? null : await findMessageById(tx, applied.changeId);
        const message = change?.change?.target ?? (await findMessageById(tx, applied.target.id));
        if (!message) throw messageNotFound();
        return { ...applied, change, message, recounted: applied.recounted ?? [] };
      });
      if (change) announce(change, origin, recounted);
      // The rows are unreachable already; bytes left by a failure here are the sweeper's to remove.
      afterCommit?.().catch((error: unknown) =>
        onError(error, 'cannot remove the files of a deleted message'),
      );
      return { message, change };
    });
  }

  function announce(change: Message, origin: string | undefined, recounted: readonly string[]): void {
    fanOut.toConversation(change.conversationId, 'message:new', { message: change }, origin);
    events.publish({ type: 'message.changed', message: change });
    if (recounted.length === 0) return;
    void readCursorsOf(db, change.conversationId, recounted).then(
      (cursors) => {
        for (const [userId, cursor] of cursors) {
          fanOut.toUsers([userId], 'conversation:read', {
            conversationId: change.conversationId,
            lastReadSeq: cursor.lastReadSeq,
            unreadCount: cursor.unreadCount,
            mentionCount: cursor.mentionCount,
          });
        }
      },
      // Their counts are right again at their next sync; the live correction is all that is lost.
      (error: unknown) => onError(error, 'cannot correct the counts of a deleted mention live'),
    );
  }

  function reaction(type: Extract<MessageChangeType, `reaction.${string}`>) {
    return (actor: User, messageId: string, emoji: string, origin?: string) =>
      act(actor, origin, async (tx) => {
        const target = await readableTarget(tx, actor, messageId);
        if (target.deletedAt) throw forbidden('the message was deleted');
        if (type === 'reaction.added' && (await countEmoji(tx, target.id)) >= MAX_EMOJI_PER_MESSAGE)
          throw forbidden(`a message carries at most ${MAX_EMOJI_PER_MESSAGE} different emoji`);
        const changed =
          type === 'reaction.added'
            ? await addReaction(tx, target.id, emoji, actor.id)
            : await removeReaction(tx, target.id, emoji, actor.id);
        if (!changed) return { changeId: null, target };
        return { changeId: await record(tx, { target, actorId: actor.id, type, emoji }), target };
      });
  }

  return {
    /**
     * Replaces the text of the actor's own message; only members it did not mention before are notified.
     * Refused past the edit window, for a deleted message and for host events.
     */
    edit(
      actor: User,
      messageId: string,
      input: { body: string; mentions?: readonly string[] | undefined },
      origin?: string,
    ): Promise<MessageActionResponse> {
      checkMessageBody(input.body, maxMessageLength);
      return act(actor, origin, async (tx) => {
        const target = await readableTarget(tx, actor, messageId);
        if (target.senderId !== actor.id || target.kind !== 'message')
          throw forbidden('only its author can edit a message');
        if (target.deletedAt) throw forbidden('the message was deleted');
        if (
          editWindowSeconds !== null &&
          now().getTime() - target.createdAt.getTime() > editWindowSeconds * 1000
        )
          throw forbidden(`messages can be edited for ${editWindowSeconds} s after they are sent`);
        if (input.body === target.body) return { changeId: null, target };
        const mentioned = admittedMentions(actor, input.mentions ?? []);
        const newly = mentioned.filter((userId) => !target.mentions.includes(userId));
        await editBody(tx, target, input.body, [...new Set([...target.mentions, ...newly])].sort());
        const changeId = await record(tx, {
          target,
          actorId: actor.id,
          type: 'message.edited',
          mentions: newly,
        });
        return { changeId, target };
      });
    },

    /**
     * Deletes the message for everyone: its text, versions, reactions, mentions and files are erased and
     * every member is shown a tombstone. The author may delete it, and the company's admins any message.
     */
    delete(actor: User, messageId: string, origin?: string): Promise<MessageActionResponse> {
      return act(actor, origin, async (tx) => {
        const target = await readableTarget(tx, actor, messageId);
        if (target.senderId !== actor.id && !moderates(actor))
          throw forbidden('only its author or an admin can delete a message');
        if (target.deletedAt) return { changeId: null, target };
        const recounted = await eraseMessage(tx, target);
        const purged = await purgeAttachmentsOfMessages(tx, attachmentStorage, [String(target.id)]);
        const changeId = await record(tx, { target, actorId: actor.id, type: 'message.deleted' });
        return { changeId, target, recounted, afterCommit: () => purged.removeStored(db) };
      });
    },

    /** Adds the actor's reaction (viewers too); adding it again changes nothing. */
    react: reaction('reaction.added'),

    /** Takes the actor's reaction back; taking back one that is not there changes nothing. */
    unreact: reaction('reaction.removed'),

    /** The texts edits replaced: for the author, and the company's admins in the conversation. */
    async versions(actor: User, messageId: string): Promise<MessageVersionsResponse> {
      const message = await findMessageById(db, Number(messageId));
      if (!message || message.kind === 'change' || !(await isMember(db, message.conversationId, actor.id)))
        throw messageNotFound();
      if (message.senderId !== actor.id && !moderates(actor))
        throw forbidden("only its author or an admin can see a message's earlier versions");
      const versions = await listVersions(db, messageId);
      return {
        versions: versions.map((version) => ({
          version: version.version,
          body: version.body,
          writtenAt: version.writtenAt.toISOString(),
          replacedAt: version.replacedAt.toISOString(),
        })),
      };
    },
  };
}

export type MessageActions = ReturnType<typeof createMessageActions>;
