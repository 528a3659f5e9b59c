// Acting on sent messages from the SDK: edit, delete for everyone, reactions, and the earlier versions of a
// message. Each answer's change entry joins the conversation's timeline at once, as it would arrive live,
// so this tab shows the action without waiting for the stream; other tabs and members get it live.

import type { MessageActionResponse, MessageVersion } from '../protocol/message-actions.ts';
import type { Message } from '../protocol/models.ts';
import type { Connection } from './connection.ts';
import type { ParleyRest } from './rest.ts';

export class MessageActions {
  /** @param received hands a change entry to its conversation's timeline. */
  constructor(
    private readonly connection: Connection,
    private readonly rest: ParleyRest,
    private readonly received: (change: Message) => void,
  ) {}

  /**
   * Replaces the text of one of the user's messages; `mentions` are everyone the new text names (only
   * those it did not name before are notified). Resolves with the message as it is now.
   */
  async edit(messageId: string, body: string, mentions: readonly string[] = []): Promise<Message> {
    return this.applied(
      await this.connection.request('message:edit', { messageId, body, mentions: [...mentions] }),
    );
  }

  /** Deletes the message for everyone (the user's own, or any as an internal admin). */
  async delete(messageId: string): Promise<Message> {
    return this.applied(await this.connection.request('message:delete', { messageId }));
  }

  /** Adds the user's reaction; adding it again changes nothing. */
  async react(messageId: string, emoji: string): Promise<Message> {
    return this.applied(await this.connection.request('reaction:add', { messageId, emoji }));
  }

  /** Takes the user's reaction back. */
  async unreact(messageId: string, emoji: string): Promise<Message> {
    return this.applied(await this.connection.request('reaction:remove', { messageId, emoji }));
  }

  /** Adds the reaction, or takes it back when the user already gave it. */
  toggleReaction(message: Message, emoji: string, meId: string): Promise<Message> {
    const mine = message.reactions.some((r) => r.emoji === emoji && r.userIds.includes(meId));
    return mine ? this.unreact(message.id, emoji) : this.react(message.id, emoji);
  }

  /** The texts edits replaced, oldest first (the author and internal admins only). */
  versions(messageId: string): Promise<MessageVersion[]> {
    return this.rest.messageVersions(messageId);
  }

  private applied({ message, change }: MessageActionResponse): Message {
    if (change) this.received(change);
    return message;
  }
}
