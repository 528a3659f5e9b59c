// What a message's text must be to be stored, for sends and edits alike.
import { ParleyError } from '../../../protocol/errors.ts';

/**
 * Rejects bodies nobody should store: blank ones (unless the message carries files, which may go without
 * words) and ones over the limit (counted in characters, not bytes).
 */
export function checkMessageBody(body: string, maxLength: number, carriesFiles = false): void {
  if (body.trim().length === 0 && !carriesFiles)
    throw new ParleyError('empty_message', 'message body is empty');
  const length = [...body].length;
  if (length > maxLength) {
    throw new ParleyError(
      'message_too_long',
      `message body has ${length} characters; the limit is ${maxLength}`,
    );
  }
}
