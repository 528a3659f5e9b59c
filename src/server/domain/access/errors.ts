// The answers access checks give, worded once.
import { ParleyError } from '../../../protocol/errors.ts';

/** The same answer whether the conversation does not exist or the user may not see it: existence must not leak. */
export function conversationNotFound(): ParleyError {
  return new ParleyError('not_found', 'conversation not found');
}

/** Users the actor may not message are as invisible as users who do not exist. */
export function userNotFound(ids: readonly string[]): ParleyError {
  return new ParleyError('not_found', `unknown user: ${ids.join(', ')}`);
}

export function forbidden(message: string): ParleyError {
  return new ParleyError('forbidden', message);
}
