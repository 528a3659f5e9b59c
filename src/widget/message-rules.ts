// What the user may do to a message shown in a thread, as the server decides it (docs/access.md), so that
// the widget offers only actions that will be accepted: anyone in the conversation reacts and replies, the
// author edits, the author or an internal admin deletes, and an archived conversation changes no more; the
// author or an internal admin reads an edited message's earlier versions. Pure.
import type { Message, User } from '../protocol/models.ts';

export interface MessageRights {
  react: boolean;
  reply: boolean;
  edit: boolean;
  delete: boolean;
}

const NONE: MessageRights = { react: false, reply: false, edit: false, delete: false };

export function messageRights(
  message: Pick<Message, 'kind' | 'senderId' | 'deletedAt'> | null,
  me: Pick<User, 'id' | 'orgKind' | 'role'> | undefined,
  archived: boolean,
): MessageRights {
  // Unsent messages and tombstones have nothing to act on; before the first sync the user is not known.
  if (!message || message.deletedAt !== null || !me || archived) return NONE;
  return {
    react: true,
    reply: true,
    edit: message.senderId === me.id && message.kind === 'message',
    delete: authorOrAdmin(message, me),
  };
}

/** Whether the user may read the texts a message's edits replaced (in an archived conversation too). */
export function mayReadVersions(
  message: Pick<Message, 'senderId' | 'editedAt' | 'deletedAt'>,
  me: Pick<User, 'id' | 'orgKind' | 'role'> | undefined,
): boolean {
  return (
    message.editedAt !== null && message.deletedAt === null && me !== undefined && authorOrAdmin(message, me)
  );
}

const authorOrAdmin = (message: Pick<Message, 'senderId'>, me: Pick<User, 'id' | 'orgKind' | 'role'>) =>
  message.senderId === me.id || (me.orgKind === 'internal' && me.role === 'admin');
