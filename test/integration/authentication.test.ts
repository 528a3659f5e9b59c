// Only a token the host signed, unexpired, lets anyone in; every other attempt is refused and changes nothing.
import { describe, expect, it } from 'vitest';
import { signHostToken } from '../../src/server/demo/tokens.ts';
import { acme, tokenFor } from '../helpers/access.ts';
import { api, connect, newUser } from '../helpers/clients.ts';
import { signClaims } from '../helpers/raw-tokens.ts';
import { TEST_JWT_SECRET } from '../helpers/server.ts';
import { useTestServer } from '../helpers/test-server.ts';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;
const claims = (sub: string) => ({ sub, name: 'Mallory', org: 'acme', role: 'admin', exp: inOneHour() });

/** Signs `payload` with the server's own secret, as a host would, whatever claims it has or lacks. */
const signedWithOwnSecret = (payload: Record<string, unknown>) =>
  signClaims(TEST_JWT_SECRET, payload, { issuedAt: false });
/** Mallory as an admin of acme, under the given id. */
const mallory = (id: string) => ({ ...acme, id, displayName: 'M', email: null, role: 'admin' }) as const;

/** Every kind of token Parley refuses; where one names a user, it is a `mallory…` id Parley has never seen. */
async function badTokens(): Promise<[label: string, token: string | undefined][]> {
  const valid = (await newUser('victim')).token;
  const [header, payload] = valid.split('.');
  return [
    ['no token', undefined],
    ['garbage', 'not-a-jwt'],
    ['alg none', `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims('mallory-none'))}.`],
    ['forged payload', `${header}.${base64url(claims('mallory-forged'))}.${valid.split('.')[2]}`],
    [
      'wrong secret',
      await signHostToken('another-secret-that-is-also-long-enough!!', mallory('mallory-key'), 3600),
    ],
    ['expired', await tokenFor(mallory('mallory-expired'), {}, -120)],
    ['truncated signature', `${header}.${payload}.`],
    ['no sub', await signedWithOwnSecret({ name: 'no sub', org: 'acme', role: 'member' })],
    ['no name', await signedWithOwnSecret({ sub: 'mallory-no-name', org: 'acme', role: 'member' })],
    ['no org', await signedWithOwnSecret({ sub: 'mallory-no-org', name: 'no org', role: 'member' })],
    ['no role', await signedWithOwnSecret({ sub: 'mallory-no-role', name: 'no role', org: 'acme' })],
    [
      'unknown role',
      await signedWithOwnSecret({ sub: 'mallory-bad-role', name: 'bad role', org: 'acme', role: 'owner' }),
    ],
  ];
}

describe('authentication', () => {
  const parley = useTestServer('pglite');

  it('answers 401 unauthorized on REST for every token the host did not sign, that expired or lacks a claim', async () => {
    for (const [label, token] of await badTokens()) {
      const response = await api(parley.url, 'GET', '/api/conversations', { token });
      expect([response.status, response.body.error.code], label).toEqual([401, 'unauthorized']);
    }
  });

  it('refuses the socket handshake with connect_error for the same tokens', async () => {
    for (const [label, token] of await badTokens()) {
      const error = await connect(parley.url, token).then(
        () => null,
        (refusal: Error & { data?: unknown }) => refusal,
      );
      expect(error?.data, label).toMatchObject({ code: 'unauthorized' });
    }
    const polling = await connect(parley.url, 'not-a-jwt', ['polling']).catch((refusal) => refusal);
    expect(polling.data).toMatchObject({ code: 'unauthorized' });
  });

  it('creates no user for a refused token, on REST or in the socket handshake', async () => {
    const userIds = async () =>
      (await parley.server.db.query<{ id: string }>('select id from users')).map((u) => u.id).sort();
    const before = await userIds();
    for (const [label, token] of await badTokens()) {
      expect((await api(parley.url, 'GET', '/api/me', { token })).status, `REST, ${label}`).toBe(401);
      expect(await userIds(), `REST, ${label}`).toEqual(before);
      await expect(connect(parley.url, token), `socket, ${label}`).rejects.toMatchObject({
        data: { code: 'unauthorized' },
      });
      expect(await userIds(), `socket, ${label}`).toEqual(before);
    }
    // The same look at the table sees a user that either way of presenting a valid token creates.
    const [overRest, overSocket] = [await newUser('control-rest'), await newUser('control-socket')];
    expect((await api(parley.url, 'GET', '/api/me', { token: overRest.token })).status).toBe(200);
    (await connect(parley.url, overSocket.token)).close();
    expect(await userIds()).toEqual([...before, overRest.id, overSocket.id].sort());
  });

  it('creates the user from the claims of a valid token and keeps the profile up to date', async () => {
    const user = await newUser('dana');
    const first = await api(parley.url, 'GET', '/api/me', { token: user.token });
    expect(first.body.user).toMatchObject({
      id: user.id,
      displayName: 'dana',
      orgId: 'acme',
      role: 'member',
    });
    const renamed = await tokenFor(
      { ...acme, id: user.id, displayName: 'Dana S.', email: null, role: 'viewer' },
      {},
      60,
    );
    const second = await api(parley.url, 'GET', '/api/me', { token: renamed });
    expect(second.body.user).toMatchObject({
      id: user.id,
      displayName: 'Dana S.',
      role: 'viewer',
      email: null,
    });
    const [stored] = await parley.server.db.query('select display_name, role from users where id = $1', [
      user.id,
    ]);
    expect(stored).toEqual({ display_name: 'Dana S.', role: 'viewer' });
  });

  it('answers health without a token and unknown routes with not_found', async () => {
    expect((await api(parley.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await api(parley.url, 'GET', '/readyz')).body).toMatchObject({ status: 'ready' });
    const missing = await api(parley.url, 'GET', '/api/nothing-here');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
  });
});
