// Conversations and their messages as records for backup and compliance, one at a time so that an export
// of every conversation streams. A deleted message is exported as a tombstone: its body was erased when it
// was deleted, and an export must not suggest otherwise (docs/operations.md, "Command line").
import type { Message } from '../../../protocol/models.ts';
import { type ExportedConversation, listConversationsForExport } from '../../store/conversation-export.ts';
import type { Sql } from '../../store/db.ts';
import { listMessagePage } from '../../store/messages.ts';

export type ExportRecord =
  | ({ type: 'conversation' } & ExportedConversation)
  | {
      type: 'message';
      conversationId: string;
      id: string;
      seq: number;
      kind: Message['kind'];
      senderId: string;
      createdAt: string;
      editedAt: string | null;
      body: string;
      replyToId: string | null;
      attachments: { id: string; name: string; contentType: string; size: number }[];
      reactions: { emoji: string; userIds: string[] }[];
    }
  | {
      type: 'tombstone';
      conversationId: string;
      id: string;
      seq: number;
      senderId: string;
      createdAt: string;
      deletedAt: string;
    }
  | {
      /** An edit, deletion or reaction as it took its place in the conversation's order. */
      type: 'change';
      conversationId: string;
      seq: number;
      senderId: string;
      createdAt: string;
      change: string;
      messageId: string;
      emoji: string | null;
    };

const PAGE = 200;

function recordOf(message: Message): ExportRecord {
  const { conversationId, id, seq, senderId, createdAt } = message;
  if (message.change) {
    const { type, messageId, emoji } = message.change;
    return { type: 'change', conversationId, seq, senderId, createdAt, change: type, messageId, emoji };
  }
  if (message.deletedAt !== null) {
    return { type: 'tombstone', conversationId, id, seq, senderId, createdAt, deletedAt: message.deletedAt };
  }
  return {
    type: 'message',
    conversationId,
    id,
    seq,
    kind: message.kind,
    senderId,
    createdAt,
    editedAt: message.editedAt,
    body: message.body,
    replyToId: message.replyTo?.messageId ?? null,
    attachments: message.attachments.map(({ id: fileId, name, contentType, size }) => ({
      id: fileId,
      name,
      contentType,
      size,
    })),
    reactions: message.reactions.map(({ emoji, userIds }) => ({ emoji, userIds })),
  };
}

async function* messagesOf(sql: Sql, conversationId: string): AsyncGenerator<ExportRecord> {
  for (let after = 0; ; ) {
    const { messages, hasMore } = await listMessagePage(sql, conversationId, { after, limit: PAGE });
    for (const message of messages) yield recordOf(message);
    const last = messages.at(-1);
    if (!hasMore || !last) return;
    after = last.seq;
  }
}

/** Every conversation (or only `conversationId`), each followed by its messages in their order. */
export async function* exportConversations(
  sql: Sql,
  conversationId: string | null,
): AsyncGenerator<ExportRecord> {
  for (let afterId = ''; ; ) {
    const page = await listConversationsForExport(sql, { afterId, onlyId: conversationId, limit: PAGE });
    for (const conversation of page) {
      yield { type: 'conversation', ...conversation };
      yield* messagesOf(sql, conversation.id);
    }
    const last = page.at(-1);
    if (page.length < PAGE || !last) return;
    afterId = last.id;
  }
}
