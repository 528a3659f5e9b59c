// The state of a message as just sent (not edited, deleted, replied to or reacted to, without files): what unit tests add
// to the fields they care about to build a whole `Message`.
import type { Message } from '../../src/protocol/models.ts';

export function freshState(
  seq: number,
): Pick<
  Message,
  'editedAt' | 'deletedAt' | 'revisionSeq' | 'replyTo' | 'reactions' | 'attachments' | 'change'
> {
  return {
    editedAt: null,
    deletedAt: null,
    revisionSeq: seq,
    replyTo: null,
    reactions: [],
    attachments: [],
    change: null,
  };
}
