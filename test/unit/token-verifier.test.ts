import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/protocol/errors.ts';
import { createTokenVerifier } from '../../src/server/domain/identity/token-verifier.ts';

const secret = 'unit-test-secret-long-enough-for-hs256-keys';
const verify = createTokenVerifier({
  secret,
  jwksUrl: undefined,
  issuer: undefined,
  audience: undefined,
  clockToleranceSeconds: 5,
});
const sign = (claims: Record<string, unknown>, expiresIn: string | number = '1h', key = secret) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(key));
const valid = { sub: 'u1', name: 'Uma', org: 'acme', role: 'member' };

async function refusal(token: string): Promise<string> {
  const error = await verify(token).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ParleyError);
  expect((error as ParleyError).code).toBe('unauthorized');
  return (error as ParleyError).message;
}

describe('host token verification', () => {
  it('reads the claims of a token signed with the shared secret', async () => {
    await expect(verify(await sign({ ...valid, email: 'uma@acme.test' }))).resolves.toMatchObject({
      ...valid,
      email: 'uma@acme.test',
    });
  });

  it('says why a token is refused', async () => {
    expect(await refusal(await sign(valid, Math.floor(Date.now() / 1000) - 60))).toBe('token expired');
    expect(await refusal(await sign(valid, '1h', 'another-secret-another-secret-another'))).toBe(
      'token signature is invalid',
    );
    expect(await refusal('a.b.c')).toBe('token is malformed');
    expect(await refusal(await sign({ ...valid, role: 'root' }))).toContain('role');
  });

  it('tolerates a few seconds of clock skew and no more', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(verify(await sign(valid, now - 2))).resolves.toMatchObject({ sub: 'u1' });
    expect(await refusal(await sign(valid, now - 30))).toBe('token expired');
  });

  it('requires an expiry', async () => {
    const noExp = await new SignJWT(valid)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(secret));
    expect(await refusal(noExp)).toContain('exp');
  });
});
