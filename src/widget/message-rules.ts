// What the user may do to a message shown in a thread, as the server decides it (docs/access.md), so that
// the widget offers only actions that will be accepted: anyone in the conversation reacts and replies, the
// author edits, the author or an internal admin deletes, and an archived conversation changes no more. Pure.
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
  const author = message.senderId === me.id;
  return {
    react: true,
    reply: true,
    edit: author && message.kind === 'message',
    delete: author || (me.orgKind === 'internal' && me.role === 'admin'),
  };
}
