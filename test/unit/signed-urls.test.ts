// Signed download URLs under a controlled clock: valid until they expire, and for nothing but what they name.
import { describe, expect, it } from 'vitest';
import { createSignedUrls } from '../../src/server/domain/attachments/signed-urls.ts';

const key = Buffer.alloc(32, 7);
const grant = { attachmentId: 'AAAAAAAAAAAAAAAAAAAAAA', userId: 'ada', variant: 'original' as const };

function issued(now: { ms: number }) {
  const urls = createSignedUrls({ key, ttlMs: 5 * 60 * 1000, now: () => now.ms });
  const { url, expiresAt } = urls.sign(grant);
  const query = new URL(url, 'http://parley.test').searchParams;
  const expires = Number(query.get('expires'));
  return { urls, url, expiresAt, expires, sig: query.get('sig') ?? '' };
}

describe('signed download URLs', () => {
  it('name the download, its user and expiry, and verify until they expire', () => {
    const now = { ms: Date.UTC(2026, 0, 1, 12) };
    const { urls, url, expiresAt, expires, sig } = issued(now);
    expect(url).toMatch(/^\/api\/attachments\/AAAAAAAAAAAAAAAAAAAAAA\?user=ada&expires=\d+&sig=[\w-]{43}$/);
    expect(expiresAt.toISOString()).toBe('2026-01-01T12:05:00.000Z');
    expect(urls.verify({ ...grant, expires }, sig)).toEqual({ ...grant, expires });
    now.ms += 5 * 60 * 1000 - 1;
    expect(() => urls.verify({ ...grant, expires }, sig)).not.toThrow();
    now.ms += 1;
    expect(() => urls.verify({ ...grant, expires }, sig)).toThrow('the signed URL has expired');
  });

  it('are refused for another attachment, user, variant or expiry, or under another key', () => {
    const { expires, sig } = issued({ ms: Date.now() });
    const urls = createSignedUrls({ key, ttlMs: 60_000 });
    for (const changed of [
      { ...grant, expires, attachmentId: 'BAAAAAAAAAAAAAAAAAAAAA' },
      { ...grant, expires, userId: 'bob' },
      { ...grant, expires, variant: 'thumbnail' as const },
      { ...grant, expires: expires + 1 },
    ]) {
      expect(() => urls.verify(changed, sig)).toThrow('the signed URL is not valid');
    }
    const other = createSignedUrls({ key: Buffer.alloc(32, 8), ttlMs: 60_000 });
    expect(() => other.verify({ ...grant, expires }, sig)).toThrow('the signed URL is not valid');
    expect(() => urls.verify({ ...grant, expires }, 'short')).toThrow('the signed URL is not valid');
  });
});
