// One-click unsubscribe links (RFC 8058): a token that names the user and what they leave — one
// conversation's emails or all email — signed so that it works without a login and cannot be altered to
// unsubscribe someone else. It never expires: a link in a year-old email must still work.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Unsubscribe {
  userId: string;
  /** Null: all email; else only this conversation's (by muting it). */
  conversationId: string | null;
}

const VERSION = 'u1';

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(`${VERSION}.${payload}`).digest('base64url');
}

export function signUnsubscribe(key: Buffer, what: Unsubscribe): string {
  const payload = Buffer.from(JSON.stringify([what.userId, what.conversationId])).toString('base64url');
  return `${VERSION}.${payload}.${mac(key, payload)}`;
}

/** The unsubscribe a token names, or null for anything not signed by `key` as it stands. */
export function verifyUnsubscribe(key: Buffer, token: string): Unsubscribe | null {
  const [version, payload, signature] = token.split('.');
  if (version !== VERSION || !payload || !signature) return null;
  const expected = Buffer.from(mac(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const [userId, conversationId] = JSON.parse(
      Buffer.from(payload, 'base64url').toString('utf8'),
    ) as unknown[];
    if (typeof userId !== 'string' || (conversationId !== null && typeof conversationId !== 'string'))
      return null;
    return { userId, conversationId };
  } catch {
    return null;
  }
}
