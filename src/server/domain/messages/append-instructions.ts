// What the append must check and do for each message, decided here and executed by the store's one statement
// (store/message-append.ts): who must be a member, whom a message may mention, which messages webhooks hear.
import type { Message, User } from '../../../protocol/models.ts';
import type { AppendInstructions } from '../../store/message-append.ts';

/**
 * A host's record event is posted by the host's bot, which is never a member, so that it never counts or
 * shows among the thread's people; it goes only into the record's own thread, which has no audience
 * organisation. People's messages need their sender in the conversation, and webhooks (the company's)
 * hear them unless they are notes of another organisation, whose kind is read at the commit since an
 * administrator may change it meanwhile.
 */
export function appendInstructionsFor(kind: Message['kind']): AppendInstructions {
  if (kind === 'event')
    return { requireMembership: false, notifyWebhooks: true, webhooksNeedCompanyAudience: false };
  return { requireMembership: true, notifyWebhooks: true, webhooksNeedCompanyAudience: true };
}

/**
 * The people a message mentions, each once; a sender mentioning themself notifies nobody. Whether they are
 * members is read at the commit, as for the sender.
 */
export function admittedMentions(sender: Pick<User, 'id'>, mentions: readonly string[]): string[] {
  return [...new Set(mentions)].filter((userId) => userId !== sender.id);
}
