// The quote a reply shows of the message it answers, derived the same way by the server and by clients (no
// zod here: the widget bundles this), so that a quote updated from a change equals a fresh fetch's.
import type { Message, ReplyQuote } from './models.ts';

/** How much of the original a reply quotes. */
const EXCERPT_LENGTH = 140;

/**
 * The start of a message's text as a reply quotes it: one line, at most 140 characters. Server and clients
 * both derive quotes with it, so a quote updated from an edit equals the one a fresh fetch returns.
 */
export function quoteExcerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  const characters = [...line];
  return characters.length <= EXCERPT_LENGTH ? line : `${characters.slice(0, EXCERPT_LENGTH - 1).join('')}…`;
}

/** The quote a reply shows of `original` in its current state. */
export function quoteOf(
  original: Pick<Message, 'id' | 'seq' | 'senderId' | 'body' | 'editedAt' | 'deletedAt'>,
): ReplyQuote {
  return {
    messageId: original.id,
    seq: original.seq,
    senderId: original.senderId,
    excerpt: original.deletedAt === null ? quoteExcerpt(original.body) : '',
    editedAt: original.editedAt,
    deleted: original.deletedAt !== null,
  };
}
