// How a webhook POST proves it comes from Parley: an HMAC-SHA256 of `timestamp.body` under the webhook's
// secret. Exported as the reference for host developers who verify it (docs/webhooks.md).
import { createHmac, timingSafeEqual } from 'node:crypto';

const SCHEME = 'v1';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

function hmacHex(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The `parley-signature` header value for a body sent at `timestamp` (unix seconds): `v1=<hex>`. The secret
 * is used as given (its UTF-8 bytes), not base64-decoded; the body exactly as sent.
 */
export function signWebhook(secret: string, timestamp: number | string, body: string): string {
  return `${SCHEME}=${hmacHex(secret, String(timestamp), body)}`;
}

/**
 * Whether `header` (`parley-signature`) signs `timestamp` (`parley-timestamp`) and `body` with `secret`,
 * and the timestamp is within `toleranceSeconds` of `now`, so a captured request cannot be replayed later.
 * The header may list several comma-separated signatures; one valid `v1` is enough.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  timestamp: string | number | undefined,
  body: string,
  toleranceSeconds = 300,
  now: Date = new Date(),
): boolean {
  if (header === undefined || timestamp === undefined) return false;
  const stamp = String(timestamp).trim();
  if (!/^\d{1,12}$/.test(stamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(stamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, stamp, body), 'hex');
  return header.split(',').some((part) => {
    const [scheme, value] = part.trim().split('=', 2);
    if (scheme !== SCHEME || value === undefined || !HEX_SHA256.test(value)) return false;
    // Both are 32 bytes, as timingSafeEqual requires; it takes as long whichever bytes differ.
    return timingSafeEqual(Buffer.from(value, 'hex'), expected);
  });
}
