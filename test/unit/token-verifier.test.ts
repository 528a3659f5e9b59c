import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, UnsecuredJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../../src/protocol/errors.ts';
import {
  createTokenVerifier,
  DEMO_KEY_ID,
  type TokenVerifier,
  type TokenVerifierOptions,
} from '../../src/server/domain/identity/token-verifier.ts';
import { signClaims } from '../helpers/raw-tokens.ts';

const secret = 'unit-test-secret-long-enough-for-hs256-keys';
const verify = createTokenVerifier({
  secret,
  jwksUrl: undefined,
  issuer: undefined,
  audience: undefined,
  clockToleranceSeconds: 5,
});
const sign = (claims: Record<string, unknown>, expiresIn: string | number = '1h', key = secret) =>
  signClaims(key, claims, { expiresAt: expiresIn });
const valid = { sub: 'u1', name: 'Uma', org: 'acme', role: 'member' };

async function refusal(token: string, verifier: TokenVerifier = verify): Promise<string> {
  const error = await verifier(token).catch((e: unknown) => e);
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
    const noExp = await signClaims(secret, valid, { expiresAt: false });
    expect(await refusal(noExp)).toContain('exp');
  });

  it('refuses to start without a secret or a JWKS URL', () => {
    expect(() =>
      createTokenVerifier({
        secret: undefined,
        jwksUrl: undefined,
        issuer: undefined,
        audience: undefined,
        clockToleranceSeconds: 5,
      }),
    ).toThrow(Error);
  });
});

const issuer = 'https://id.acme.test';
const audience = 'parley';

interface SigningKey {
  alg: 'RS256' | 'ES256';
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { alg, kid, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

function signWith(
  key: SigningKey,
  { iss = issuer, aud = audience }: { iss?: string; aud?: string } = {},
): Promise<string> {
  return signClaims(key.privateKey, valid, { alg: key.alg, kid: key.kid, issuer: iss, audience: aud });
}

/** How an identity provider misbehaves: an endless answer (declared or chunked), or none at all. */
type Misbehaviour = 'huge-declared' | 'huge-chunked' | 'silent';

/** A host's identity provider: serves whichever keys the test publishes, and counts the fetches. */
async function startJwksServer() {
  let keys: JWK[] = [];
  let status = 200;
  let fetches = 0;
  let misbehaviour: Misbehaviour | null = null;
  let bytesWritten = 0;
  const server = createServer((_request, response) => {
    fetches += 1;
    if (misbehaviour === 'silent') return;
    if (misbehaviour) {
      // A valid key set followed by megabytes of padding: only a cap stops Parley from reading it all.
      const head = `{"keys":${JSON.stringify(keys)},"padding":"`;
      const total = 64 * 1024 * 1024;
      response.writeHead(200, {
        'content-type': 'application/json',
        ...(misbehaviour === 'huge-declared' ? { 'content-length': String(total) } : {}),
      });
      response.write(head);
      bytesWritten = head.length;
      const chunk = 'x'.repeat(64 * 1024);
      const pump = () => {
        while (bytesWritten < total && !response.destroyed) {
          bytesWritten += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        if (!response.destroyed) response.end('"}');
      };
      pump();
      return;
    }
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    publish(...published: SigningKey[]) {
      keys = published.map((key) => key.jwk);
      status = 200;
    },
    failWith(code: number) {
      status = code;
    },
    misbehave(how: Misbehaviour | null) {
      misbehaviour = how;
      bytesWritten = 0;
    },
    get bytesWritten() {
      return bytesWritten;
    },
    get fetches() {
      return fetches;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function jwksVerifier(jwksUrl: string, overrides: Partial<TokenVerifierOptions> = {}): TokenVerifier {
  return createTokenVerifier({
    secret: undefined,
    jwksUrl,
    issuer,
    audience,
    clockToleranceSeconds: 5,
    // Refetch on every unknown kid, so that a rotation is visible at once.
    jwksCooldownMs: 0,
    ...overrides,
  });
}

describe('host token verification against a published key set', () => {
  let idp: Awaited<ReturnType<typeof startJwksServer>>;
  let rsaA: SigningKey;
  let rsaB: SigningKey;
  let ec: SigningKey;

  beforeAll(async () => {
    idp = await startJwksServer();
    [rsaA, rsaB, ec] = await Promise.all([
      signingKey('RS256', 'rsa-a'),
      signingKey('RS256', 'rsa-b'),
      signingKey('ES256', 'ec-1'),
    ]);
  });
  afterAll(() => idp.close());
  afterEach(() => vi.useRealTimers());

  it('reads the claims of RS256 and ES256 tokens signed with published keys', async () => {
    idp.publish(rsaA, ec);
    const verifyJwks = jwksVerifier(idp.url);
    await expect(verifyJwks(await signWith(rsaA))).resolves.toMatchObject(valid);
    await expect(verifyJwks(await signWith(ec))).resolves.toMatchObject(valid);
  });

  it('accepts a rotated key without being recreated and refuses the retired one', async () => {
    idp.publish(rsaA);
    const verifyJwks = jwksVerifier(idp.url);
    await expect(verifyJwks(await signWith(rsaA))).resolves.toMatchObject({ sub: 'u1' });

    idp.publish(rsaB);
    await expect(verifyJwks(await signWith(rsaB))).resolves.toMatchObject({ sub: 'u1' });
    expect(await refusal(await signWith(rsaA), verifyJwks)).toBe('token signing key is unknown');
  });

  it('asks the identity provider again for an unknown kid only after the cooldown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    idp.publish(rsaA);
    const verifyJwks = jwksVerifier(idp.url, { jwksCooldownMs: undefined });
    await verifyJwks(await signWith(rsaA));
    const fetches = idp.fetches;

    idp.publish(rsaB);
    expect(await refusal(await signWith(rsaB), verifyJwks)).toBe('token signing key is unknown');
    expect(idp.fetches).toBe(fetches);

    vi.setSystemTime(Date.now() + 31_000);
    await expect(verifyJwks(await signWith(rsaB))).resolves.toMatchObject({ sub: 'u1' });
    expect(idp.fetches).toBe(fetches + 1);
  });

  it('refuses a token signed with a key the set does not hold, even under a published kid', async () => {
    idp.publish(rsaA);
    const impostor = await signingKey('RS256', rsaA.kid);
    expect(await refusal(await signWith(impostor), jwksVerifier(idp.url))).toBe('token signature is invalid');
  });

  it('checks the issuer and audience it is configured with', async () => {
    idp.publish(rsaA);
    const verifyJwks = jwksVerifier(idp.url);
    await expect(verifyJwks(await signWith(rsaA))).resolves.toMatchObject({ sub: 'u1' });
    expect(await refusal(await signWith(rsaA, { aud: 'another-app' }), verifyJwks)).toBe(
      'token claim "aud" is invalid',
    );
    expect(await refusal(await signWith(rsaA, { iss: 'https://evil.test' }), verifyJwks)).toBe(
      'token claim "iss" is invalid',
    );
    const unchecked = jwksVerifier(idp.url, { issuer: undefined, audience: undefined });
    await expect(unchecked(await signWith(rsaA, { iss: 'any', aud: 'any' }))).resolves.toMatchObject(valid);
  });

  it('refuses unsigned tokens and algorithms no configured key is meant for', async () => {
    idp.publish(rsaA);
    const both = jwksVerifier(idp.url, { secret });
    const unsigned = new UnsecuredJWT(valid).setIssuer(issuer).setAudience(audience).setExpirationTime('1h');
    for (const verifier of [verify, both]) {
      expect(await refusal(unsigned.encode(), verifier)).toBe('token algorithm is not allowed');
    }
    const hs512 = await signClaims(secret, valid, { alg: 'HS512', issuedAt: false });
    expect(await refusal(hs512, both)).toBe('token algorithm is not allowed');
    // Each kind of key is only used when it is configured.
    expect(await refusal(await signWith(rsaA), verify)).toBe('token algorithm is not allowed');
    expect(await refusal(await sign(valid), jwksVerifier(idp.url))).toBe('token algorithm is not allowed');
  });

  it('refuses an HS256 token whose HMAC secret is the published public key', async () => {
    idp.publish(rsaA);
    const jwksOnly = jwksVerifier(idp.url);
    const both = jwksVerifier(idp.url, { secret });
    for (const publicKeyBytes of [await exportSPKI(rsaA.publicKey), JSON.stringify(rsaA.jwk)]) {
      const forged = await signClaims(publicKeyBytes, valid, {
        kid: rsaA.kid,
        issuer,
        audience,
        issuedAt: false,
      });
      expect(await refusal(forged, jwksOnly)).toBe('token algorithm is not allowed');
      expect(await refusal(forged, both)).toBe('token signature is invalid');
    }
  });

  it('says the keys cannot be fetched when the identity provider is down or failing', async () => {
    const gone = await startJwksServer();
    await gone.close();
    expect(await refusal(await signWith(rsaA), jwksVerifier(gone.url))).toBe('token keys cannot be fetched');

    idp.failWith(503);
    expect(await refusal(await signWith(rsaA), jwksVerifier(idp.url))).toBe('token keys cannot be fetched');
  });

  it.each(['huge-declared', 'huge-chunked'] as const)(
    'stops reading a key set answer past 256 KiB (%s) and refuses the token',
    async (how) => {
      const huge = await startJwksServer();
      huge.publish(rsaA);
      huge.misbehave(how);
      try {
        expect(await refusal(await signWith(rsaA), jwksVerifier(huge.url))).toBe(
          'token keys cannot be fetched',
        );
        expect(huge.bytesWritten).toBeLessThan(16 * 1024 * 1024);
      } finally {
        await huge.close();
      }
    },
  );

  it('gives up on an identity provider that never answers', async () => {
    const silent = await startJwksServer();
    silent.misbehave('silent');
    try {
      const startedAt = Date.now();
      expect(await refusal(await signWith(rsaA), jwksVerifier(silent.url, { jwksTimeoutMs: 300 }))).toBe(
        'token keys cannot be fetched',
      );
      expect(Date.now() - startedAt).toBeLessThan(5_000);
    } finally {
      await silent.close();
    }
  });
});

describe('the demo key', () => {
  const demoSecret = 'demo-secret-generated-at-start-long-enough';
  const both = createTokenVerifier({
    secret,
    demoSecret,
    jwksUrl: undefined,
    issuer: undefined,
    audience: undefined,
    clockToleranceSeconds: 5,
  });
  const signAs = (key: string, kid?: string) => signClaims(key, valid, kid ? { kid } : {});

  it('verifies only tokens that name it, and never stands in for the host’s secret', async () => {
    await expect(both(await signAs(demoSecret, DEMO_KEY_ID))).resolves.toMatchObject({ sub: 'u1' });
    await expect(both(await signAs(secret))).resolves.toMatchObject({ sub: 'u1' });
    expect(await refusal(await signAs(demoSecret), both)).toBe('token signature is invalid');
    expect(await refusal(await signAs(secret, DEMO_KEY_ID), both)).toBe('token signature is invalid');
  });
});

describe('token lifetimes', () => {
  const capped = createTokenVerifier({
    secret,
    jwksUrl: undefined,
    issuer: undefined,
    audience: undefined,
    clockToleranceSeconds: 5,
    maxLifetimeSeconds: 3600,
  });

  it('refuses a token valid for longer than the ceiling, one without iat, and one issued in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    const lasting = (issuedAt: number | false, expiresAt: number) =>
      signClaims(secret, valid, { issuedAt, expiresAt });
    await expect(capped(await lasting(now, now + 3600))).resolves.toBeTruthy();
    expect(await refusal(await lasting(now, now + 3601), capped)).toContain('lifetime exceeds 3600 s');
    expect(await refusal(await lasting(false, now + 60), capped)).toBe('token claim "iat" is required');
    expect(await refusal(await lasting(now + 600, now + 900), capped)).toBe('token claim "iat" is invalid');
    expect(await refusal(await lasting(now - 4000, now + 60), capped)).toContain('lifetime');
  });
});
