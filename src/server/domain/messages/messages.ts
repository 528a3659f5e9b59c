// Sending and reading messages: a message is stored before anyone hears of it, and a resend is answered
// with the original instead of a copy.
import { ParleyError } from '../../../protocol/errors.ts';
import type { Message, User } from '../../../protocol/models.ts';
import type { MessagePage } from '../../../protocol/rest.ts';
import type { FanOut } from '../../fanout/fanout.ts';
import { findConversationFacts } from '../../store/conversations.ts';
import type { Database } from '../../store/db.ts';
import { isMember, listEveryoneToMention } from '../../store/members.ts';
import { appendMessages, lockingInOrder, type NewMessage } from '../../store/message-append.ts';
import { findByClientMsgId, isUnquotable, listMessagePage, type PageRequest } from '../../store/messages.ts';
import { conversationNotFound, forbidden } from '../access/errors.ts';
import { mayMentionEveryone } from '../access/policy.ts';
import { refuseUnattachable } from '../attachments/message-attachments.ts';
import type { ObjectStorage } from '../attachments/storage.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import { admittedMentions, appendInstructionsFor } from './append-instructions.ts';
import { type AppendQueueOptions, createAppendQueue, type SendObserver } from './append-queue.ts';
import { createMessageActions } from './message-actions.ts';
import { checkMessageBody } from './message-body.ts';
import { createSendPipelines } from './send-pipelines.ts';

export interface MessagesDeps {
  db: Database;
  /** Where attachments' bytes are: a delete for everyone removes them. */
  attachmentStorage: ObjectStorage;
  fanOut: FanOut;
  events: DomainEvents;
  rateLimits: RateLimits;
  maxMessageLength: number;
  /** Group commit: batch sizes and when to refuse rather than queue. */
  appendQueue: AppendQueueOptions;
  /** Whether the process is overloaded (its event loop lags); sends are refused, retryable, meanwhile. */
  overloaded?: () => boolean;
  /** Hears of each batch stored and each send shed (metrics). */
  sendObserver?: SendObserver;
  /**
   * Shows conversations that just got their first message to the members who awaited one, before the
   * message is fanned out (membership's `reveal`). Must not reject: a failure only costs them the live event.
   */
  revealFirstMessages: (conversationIds: readonly string[]) => Promise<void>;
  /** How long after sending its author may edit a message; null for no limit. */
  editWindowSeconds: number | null;
  /** Other nodes append to the same conversations (PostgreSQL shared through Redis): lock them in order. */
  severalNodes?: boolean;
  /** Failures of work done after an answer (a live correction of counts), which cannot fail the request. */
  onError: (error: unknown, context: string) => void;
}

export interface SendMessageInput {
  conversationId: string;
  clientMsgId: string;
  body: string;
  mentions?: readonly string[] | undefined;
  /** `event` for host back-ends posting about their record; people's messages are `message`. */
  kind?: NewMessage['kind'];
  /** The message it replies to, of the same conversation. */
  replyToId?: string | undefined;
  /** The sender's unsent uploads to the conversation that the message carries. */
  attachmentIds?: readonly string[] | undefined;
  /** Mentions every member (`channel`) or every member active now (`here`). */
  broadcast?: 'channel' | 'here' | undefined;
}

export function createMessages({
  db,
  attachmentStorage,
  fanOut,
  events,
  rateLimits,
  maxMessageLength,
  appendQueue: appendQueueOptions,
  overloaded,
  sendObserver,
  revealFirstMessages,
  editWindowSeconds,
  severalNodes = false,
  onError,
}: MessagesDeps) {
  // One batch at a time on this node, its messages fanned out in seq order before the next batch is
  // stored: this node's events stay in order. Across nodes, clients order by seq.
  const appender = severalNodes ? lockingInOrder(db) : undefined;
  const appendQueue = createAppendQueue({
    store: (batch) => appendMessages(db, batch, appender),
    onCommitted: async ({ messages, reopenedConversationIds }, origins) => {
      // The append knows which messages are first ones: only those cost a look-up, once per conversation.
      const opened = messages.filter((message) => message.seq === 1).map((m) => m.conversationId);
      if (opened.length > 0) await revealFirstMessages(opened);
      for (const message of messages) {
        fanOut.toConversation(message.conversationId, 'message:new', { message }, origins.get(message));
        events.publish({ type: 'message.created', message });
      }
      for (const conversationId of reopenedConversationIds)
        events.publish({ type: 'record.reopened', conversationId });
    },
    ...(overloaded ? { overloaded } : {}),
    ...(sendObserver ? { observer: sendObserver } : {}),
    options: appendQueueOptions,
  });

  const pipelines = createSendPipelines();
  const actions = createMessageActions({
    db,
    attachmentStorage,
    fanOut,
    events,
    rateLimits,
    maxMessageLength,
    editWindowSeconds,
    inTurn: appendQueue.change,
    onError,
  });

  /**
   * A send that stored nothing: the original of a resend (or a conflict when the id was used for something
   * else), or why it was refused: archived for its members, not found for everyone else.
   */
  async function replayOrRefuse(sender: User, input: SendMessageInput): Promise<Message> {
    const original = await findByClientMsgId(db, sender.id, input.clientMsgId);
    if (original) {
      if (original.conversationId !== input.conversationId || original.body !== input.body) {
        throw new ParleyError(
          'idempotency_conflict',
          'this clientMsgId was already used for a different message',
        );
      }
      return original;
    }
    const facts = await findConversationFacts(db, input.conversationId);
    if (facts?.archivedAt && (await isMember(db, input.conversationId, sender.id)))
      throw forbidden('the conversation is archived');
    throw conversationNotFound();
  }

  /**
   * Everyone a mention of everyone reaches, for a sender who may make one here (and has not made too many
   * lately); a conversation they are not in does not exist for them.
   */
  async function everyoneMentioned(sender: User, input: SendMessageInput, broadcast: 'channel' | 'here') {
    const [facts, member] = await Promise.all([
      findConversationFacts(db, input.conversationId),
      isMember(db, input.conversationId, sender.id),
    ]);
    if (!facts || !member) throw conversationNotFound();
    if (facts.archivedAt) throw forbidden('the conversation is archived');
    if (!mayMentionEveryone(sender, facts))
      throw forbidden(`you may not mention everyone in this conversation (@${broadcast})`);
    await rateLimits.consume('broadcast', sender.id);
    return listEveryoneToMention(db, input.conversationId, sender.id, broadcast === 'here');
  }

  /**
   * Refuses files that are not the sender's unsent uploads to the conversation, unless this is a resend of
   * a stored message (whose files it claimed): that one is answered with the original.
   */
  async function checkAttachable(sender: User, input: SendMessageInput, attachmentIds: readonly string[]) {
    try {
      await refuseUnattachable(db, {
        conversationId: input.conversationId,
        uploaderId: sender.id,
        attachmentIds,
      });
    } catch (refusal) {
      if (!(await findByClientMsgId(db, sender.id, input.clientMsgId))) throw refusal;
    }
  }

  return {
    /**
     * Stores the message, then fans it out to the conversation (but the connection it came on, `origin`,
     * whose answer carries it). Resolves only after the commit, so an acknowledged message is durable; a
     * replayed send resolves with the original and fans out nothing new.
     */
    async send(sender: User, input: SendMessageInput, origin?: string): Promise<Message> {
      const attachmentIds = input.attachmentIds ?? [];
      checkMessageBody(input.body, maxMessageLength, attachmentIds.length > 0);
      if (attachmentIds.length > 0) await checkAttachable(sender, input, attachmentIds);
      const everyone = input.broadcast ? await everyoneMentioned(sender, input, input.broadcast) : [];
      // Read only for replies; the append drops a reply to another conversation's message in any case.
      if (
        input.replyToId !== undefined &&
        (await isUnquotable(db, input.conversationId, sender.id, input.replyToId))
      )
        throw new ParleyError('invalid_payload', 'replyToId names no message of this conversation');
      const pipeline = JSON.stringify([origin ?? sender.id, input.conversationId]);
      const stored = await pipelines.admit(pipeline, input.clientMsgId, async () => {
        await rateLimits.consume('send', sender.id);
        const kind = input.kind ?? 'message';
        const storage = appendQueue.append(
          {
            conversationId: input.conversationId,
            clientMsgId: input.clientMsgId,
            body: input.body,
            mentions: admittedMentions(sender, [...(input.mentions ?? []), ...everyone]),
            kind,
            replyToId: input.replyToId,
            attachmentIds,
            senderId: sender.id,
            instructions: appendInstructionsFor(kind),
          },
          origin,
        );
        // A refusal by the queue is the admission's own; storage failing later is the caller's to hear.
        await Promise.race([storage, Promise.resolve()]);
        return { storage };
      });
      return stored ?? replayOrRefuse(sender, input);
    },

    ...actions,

    /** How group commit has gone so far: batches, messages, the largest batch, sends shed. */
    appendStats: () => appendQueue.stats(),

    async page(reader: User, conversationId: string, page: PageRequest): Promise<MessagePage> {
      if (!(await isMember(db, conversationId, reader.id))) throw conversationNotFound();
      return listMessagePage(db, conversationId, page);
    },
  };
}

export type Messages = ReturnType<typeof createMessages>;
