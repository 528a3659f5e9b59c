// Reply-by-email addresses: `reply-<id><signature>@<PARLEY_REPLY_DOMAIN>`. The id (random, stored) names a
// user and a conversation; the signature (HMAC over id, user and conversation) proves the address was made
// by this Parley for exactly that pair. Lower-case base32 only: mail systems may change the case of a local
// part, and 35 characters stay well under its 64.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../store/db.ts';
import { ensureReplyAddressId, findReplyAddress } from '../../store/email-replies.ts';

const PREFIX = 'reply-';
const ID_BYTES = 8;
const MAC_BYTES = 10;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

const ID_LENGTH = Math.ceil((ID_BYTES * 8) / 5);
const MAC_LENGTH = Math.ceil((MAC_BYTES * 8) / 5);

export interface ReplyTarget {
  userId: string;
  conversationId: string;
}

export function createReplyAddresses({ db, key, domain }: { db: Database; key: Buffer; domain: string }) {
  const mac = (id: string, target: ReplyTarget) =>
    base32(
      createHmac('sha256', key)
        .update(`${id}\u0000${target.userId}\u0000${target.conversationId}`)
        .digest()
        .subarray(0, MAC_BYTES),
    );

  return {
    domain,

    /** The address a digest of this conversation to this user names in Reply-To. */
    async addressFor(target: ReplyTarget): Promise<string> {
      const id = await ensureReplyAddressId(
        db,
        target.userId,
        target.conversationId,
        base32(randomBytes(ID_BYTES)),
      );
      return `${PREFIX}${id}${mac(id, target)}@${domain}`;
    },

    /** Whether an address is one of ours at all (before anything is read from the database). */
    isReplyAddress(address: string): boolean {
      const [local, host] = address.toLowerCase().split('@');
      return (
        host === domain.toLowerCase() &&
        local?.length === PREFIX.length + ID_LENGTH + MAC_LENGTH &&
        local.startsWith(PREFIX)
      );
    },

    /** The user and conversation an address names, or null for one this Parley did not make. */
    async resolve(address: string): Promise<ReplyTarget | null> {
      if (!this.isReplyAddress(address)) return null;
      const local = address.toLowerCase().split('@')[0]?.slice(PREFIX.length) ?? '';
      const id = local.slice(0, ID_LENGTH);
      const target = await findReplyAddress(db, id);
      if (!target) return null;
      const expected = Buffer.from(mac(id, target));
      const given = Buffer.from(local.slice(ID_LENGTH));
      return expected.length === given.length && timingSafeEqual(expected, given) ? target : null;
    },
  };
}

export type ReplyAddresses = ReturnType<typeof createReplyAddresses>;
