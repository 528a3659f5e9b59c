// Sending and reading messages: a message is stored before anyone hears of it, and a resend is answered
// with the original instead of a copy.
import { ParleyError } from '../../../protocol/errors.ts';
import type { Message, User } from '../../../protocol/models.ts';
import type { MessagePage } from '../../../protocol/rest.ts';
import type { FanOut } from '../../fanout/fanout.ts';
import { findConversationFacts, isMember } from '../../store/conversations.ts';
import type { Database } from '../../store/db.ts';
import { appendMessage, findByClientMsgId, listMessagePage, type PageRequest } from '../../store/messages.ts';
import { conversationNotFound, forbidden } from '../access/errors.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import { createKeyedSerializer } from './keyed-serializer.ts';

export interface MessagesDeps {
  db: Database;
  fanOut: FanOut;
  events: DomainEvents;
  rateLimits: RateLimits;
  maxMessageLength: number;
}

export interface SendMessageInput {
  conversationId: string;
  clientMsgId: string;
  body: string;
  mentions?: readonly string[] | undefined;
  /** `event` for host back-ends posting about their record; people's messages are `message`. */
  kind?: Message['kind'];
}

/** Rejects bodies nobody should store: blank ones and ones over the limit (counted in characters, not bytes). */
export function checkMessageBody(body: string, maxLength: number): void {
  if (body.trim().length === 0) throw new ParleyError('empty_message', 'message body is empty');
  const length = [...body].length;
  if (length > maxLength) {
    throw new ParleyError(
      'message_too_long',
      `message body has ${length} characters; the limit is ${maxLength}`,
    );
  }
}

export function createMessages({ db, fanOut, events, rateLimits, maxMessageLength }: MessagesDeps) {
  // Appends to one conversation take turns in this process (the row lock would serialise them in the
  // database anyway), so this node fans its messages out in seq order. Across nodes, clients order by seq.
  const inConversationOrder = createKeyedSerializer();

  /** The original message for a resent client id, or a conflict when the id was used for something else. */
  async function replay(sender: User, input: SendMessageInput): Promise<Message> {
    const original = await findByClientMsgId(db, sender.id, input.clientMsgId);
    if (!original)
      throw new Error(`message ${input.clientMsgId} of ${sender.id} conflicted but cannot be found`);
    if (original.conversationId !== input.conversationId || original.body !== input.body) {
      throw new ParleyError(
        'idempotency_conflict',
        'this clientMsgId was already used for a different message',
      );
    }
    return original;
  }

  /** Why an append was refused: archived for its members, not found for everyone else. */
  async function refusal(sender: User, conversationId: string): Promise<ParleyError> {
    const facts = await findConversationFacts(db, conversationId);
    if (facts?.archivedAt && (await isMember(db, conversationId, sender.id)))
      return forbidden('the conversation is archived');
    return conversationNotFound();
  }

  return {
    /**
     * Stores the message, then fans it out to the conversation. Resolves only after the commit, so an
     * acknowledged message is durable; a replayed send resolves with the original and fans out nothing new.
     */
    async send(sender: User, input: SendMessageInput): Promise<Message> {
      checkMessageBody(input.body, maxMessageLength);
      await rateLimits.consume('send', sender.id);
      const result = await inConversationOrder(input.conversationId, async () => {
        const appended = await appendMessage(db, {
          ...input,
          mentions: input.mentions ?? [],
          kind: input.kind ?? 'message',
          senderId: sender.id,
        });
        if (appended.kind === 'appended') {
          fanOut.toConversation(input.conversationId, 'message:new', { message: appended.message });
          events.publish({ type: 'message.created', message: appended.message });
        }
        return appended;
      });
      switch (result.kind) {
        case 'appended':
          return result.message;
        case 'duplicate':
          return replay(sender, input);
        case 'refused':
          throw await refusal(sender, input.conversationId);
      }
    },

    async page(reader: User, conversationId: string, page: PageRequest): Promise<MessagePage> {
      if (!(await isMember(db, conversationId, reader.id))) throw conversationNotFound();
      return listMessagePage(db, conversationId, page);
    },
  };
}

export type Messages = ReturnType<typeof createMessages>;
