import { describe, expect, it } from 'vitest';
import { tokenExpiry } from '../../src/client/token-claims.ts';
import { tokenFromUrl } from '../../src/client/token-url.ts';

const jwtExpiringAt = (seconds: number) =>
  `e30.${Buffer.from(JSON.stringify({ exp: seconds })).toString('base64url')}.sig`;

describe('tokens from the host token URL', () => {
  it('reads the expiry from the token', () => {
    expect(tokenExpiry(jwtExpiringAt(1000))).toBe(1_000_000);
    expect(tokenExpiry('garbage')).toBeUndefined();
  });

  it('reuses a token until shortly before it expires, then asks again, once for concurrent callers', async () => {
    let clock = 0;
    const calls: RequestInit[] = [];
    const fakeFetch = (async (_url: string, init: RequestInit) => {
      calls.push(init);
      return new Response(JSON.stringify({ token: jwtExpiringAt(600) }), { status: 200 });
    }) as unknown as typeof fetch;
    const getToken = tokenFromUrl('/api/chat/token', {
      fetch: fakeFetch,
      now: () => clock,
      refreshMarginMs: 60_000,
    });
    await Promise.all([getToken(), getToken()]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ credentials: 'include', cache: 'no-store' });
    clock = 500_000;
    await getToken();
    expect(calls).toHaveLength(1);
    clock = 541_000;
    await getToken();
    expect(calls).toHaveLength(2);
  });

  it('reports a refusal from the host', async () => {
    const refusing = (async () => new Response('{}', { status: 401 })) as unknown as typeof fetch;
    await expect(tokenFromUrl('/t', { fetch: refusing })()).rejects.toThrow('401');
  });
});
