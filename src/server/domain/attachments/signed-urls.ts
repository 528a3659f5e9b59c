// Signed download URLs: who may fetch which attachment (or its thumbnail) until when, under an HMAC, so
// that an <img> or a download link works without the bearer token a browser cannot attach to it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AttachmentVariant } from '../../../protocol/attachments.ts';
import { ParleyError } from '../../../protocol/errors.ts';

export interface UrlGrant {
  attachmentId: string;
  userId: string;
  variant: AttachmentVariant;
  /** Unix seconds. */
  expires: number;
}

export interface SignedUrls {
  /** The path and query of the download the grant allows. */
  sign(grant: Omit<UrlGrant, 'expires'>): { url: string; expiresAt: Date };
  /** The grant if the signature is Parley's and it has not expired; `unauthorized` otherwise. */
  verify(grant: UrlGrant, signature: string): UrlGrant;
}

export function downloadPath(attachmentId: string, variant: AttachmentVariant): string {
  const id = encodeURIComponent(attachmentId);
  return variant === 'thumbnail' ? `/api/attachments/${id}/thumbnail` : `/api/attachments/${id}`;
}

export function createSignedUrls(options: { key: Buffer; ttlMs: number; now?: () => number }): SignedUrls {
  const now = options.now ?? Date.now;
  // Newline-separated: no field can contain one (ids are checked, the variant is an enum, expires a number).
  const mac = (grant: UrlGrant) =>
    createHmac('sha256', options.key)
      .update(['attachment-url', grant.attachmentId, grant.userId, grant.variant, grant.expires].join('\n'))
      .digest();

  return {
    sign(grant) {
      const expires = Math.floor((now() + options.ttlMs) / 1000);
      const signature = mac({ ...grant, expires }).toString('base64url');
      const query = new URLSearchParams({ user: grant.userId, expires: String(expires), sig: signature });
      return {
        url: `${downloadPath(grant.attachmentId, grant.variant)}?${query}`,
        expiresAt: new Date(expires * 1000),
      };
    },
    verify(grant, signature) {
      const expected = mac(grant);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new ParleyError('unauthorized', 'the signed URL is not valid');
      if (grant.expires * 1000 <= now()) throw new ParleyError('unauthorized', 'the signed URL has expired');
      return grant;
    },
  };
}
