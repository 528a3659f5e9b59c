// Demo mode opens an unauthenticated login, so it runs only where that is safe: asked for by name, or on a
// fresh machine where nothing says "production". Its login signs only for the seeded demo users, with a
// secret of its own, and its order system never hands its API key to another host.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ParleyServer, startParley } from '../../src/server/app.ts';
import { ConfigError, loadConfig } from '../../src/server/config.ts';
import { demoUsers } from '../../src/server/demo/seed.ts';
import { axiom, knownPerson, tokenFor } from '../helpers/access.ts';
import { startChildServer } from '../helpers/child-server.ts';
import { api } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { signClaims } from '../helpers/raw-tokens.ts';
import { createTestStorage, startTestServer, TEST_JWT_SECRET, type TestStorage } from '../helpers/server.ts';

const drivers = testDrivers();
const demoIds = demoUsers.map((user) => user.id).sort();

function scratchDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'parley-demo-'));
}

/** Parley configured only by what a newcomer's shell holds: nothing but a port and a data directory. */
function startZeroConfig(dataDir: string): Promise<ParleyServer> {
  return startParley(loadConfig({ PORT: '0', PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
}

describe('demo mode chosen because nothing says production', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('opens the demo on a fresh data directory with zero configuration', async () => {
    const dir = scratchDataDir();
    dirs.push(dir);
    const server = await startZeroConfig(dir);
    try {
      const users = await api(server.url, 'GET', '/api/demo/users');
      expect(users.body.users.map((user: { id: string }) => user.id).sort()).toEqual(demoIds);
      const login = await api(server.url, 'POST', '/api/demo/login', { body: { userId: 'olivia' } });
      expect(login.status).toBe(200);
      expect((await api(server.url, 'GET', '/api/me', { token: login.body.token })).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses to start on a data directory where people signed in with host tokens, naming the variable', async () => {
    const dir = scratchDataDir();
    dirs.push(dir);
    const production = await startParley(
      loadConfig({
        PORT: '0',
        PARLEY_DATA_DIR: dir,
        PARLEY_JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'silent',
      }),
    );
    await knownPerson(production.url, 'real-user', { ...axiom });
    await production.close();

    // The secret went missing from the deployment's environment.
    const refused = await startZeroConfig(dir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toMatch(/^PARLEY_JWT_SECRET or PARLEY_JWKS_URL: .* holds 1 users/);
  });
});

describe.each(drivers)('the demo login on %s', (driver) => {
  let storage: TestStorage;
  let server: ParleyServer;
  let receiver: Server;
  const received: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];
  let receiverUrl: string;

  beforeAll(async () => {
    // Stands where PARLEY_PUBLIC_URL points: a proxy, or a host that is not this Parley at all.
    receiver = createServer((request, response) => {
      received.push({ url: request.url, headers: request.headers });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    storage = await createTestStorage(driver);
    server = await startTestServer(storage, {
      env: { PARLEY_DEMO: '1', PARLEY_PUBLIC_URL: receiverUrl },
    });
  });
  afterAll(async () => {
    await server?.close();
    await storage?.destroy();
    await new Promise((resolve) => receiver?.close(resolve));
  });
  afterEach(() => {
    received.length = 0;
  });

  it('lists and signs only the seeded demo users, never host-token users or API-key bots', async () => {
    const host = await knownPerson(server.url, 'host-user', { ...axiom, role: 'admin' });
    const bots = await server.db.query<{ id: string }>(`select id from users where source = 'system'`);
    expect(bots.length).toBeGreaterThan(0);

    const listed = await api(server.url, 'GET', '/api/demo/users');
    expect(listed.body.users.map((user: { id: string }) => user.id).sort()).toEqual(demoIds);
    for (const userId of [host.id, ...bots.map((bot) => bot.id)]) {
      const login = await api(server.url, 'POST', '/api/demo/login', { body: { userId } });
      expect(login.status, userId).toBe(404);
      expect(login.body.error).toMatchObject({ code: 'not_found' });
    }
  });

  it('keeps signing for a demo user who has used it, and stops for one a host token named since', async () => {
    for (const round of [1, 2]) {
      const login = await api(server.url, 'POST', '/api/demo/login', { body: { userId: 'omar' } });
      expect(login.status, `round ${round}`).toBe(200);
      expect((await api(server.url, 'GET', '/api/me', { token: login.body.token })).status).toBe(200);
    }
    const noah = demoUsers.find((user) => user.id === 'noah');
    if (!noah) throw new Error('the demo has no noah');
    const hostToken = await tokenFor({ ...noah, displayName: 'Noah (host)' }, {}, 600);
    expect((await api(server.url, 'GET', '/api/me', { token: hostToken })).status).toBe(200);
    expect((await api(server.url, 'POST', '/api/demo/login', { body: { userId: 'noah' } })).status).toBe(404);
  });

  it('signs with a key of its own, never with the operator’s secret', async () => {
    const { body } = await api(server.url, 'POST', '/api/demo/login', { body: { userId: 'ana' } });
    expect(decodeProtectedHeader(body.token)).toMatchObject({ kid: 'parley-demo' });
    await expect(jwtVerify(body.token, new TextEncoder().encode(TEST_JWT_SECRET))).rejects.toThrow();
  });

  it('names in each token the orders its user may open, as a host would for the widget’s links', async () => {
    for (const userId of ['ana', 'olivia', 'nina']) {
      const { body } = await api(server.url, 'POST', '/api/demo/login', { body: { userId } });
      expect(decodeJwt(body.token).records, userId).toEqual({ order: ['1234', '1235', '1236', '1237'] });
    }
  });

  it('refuses a token signed with the operator’s secret that claims the demo key', async () => {
    const forged = await signClaims(
      TEST_JWT_SECRET,
      { name: 'Ana', org: 'axiom', role: 'admin' },
      { kid: 'parley-demo', subject: 'ana', expiresAt: '10m' },
    );
    expect((await api(server.url, 'GET', '/api/me', { token: forged })).status).toBe(401);
  });

  it('calls only its own Parley with the order system’s API key, whatever PARLEY_PUBLIC_URL says', async () => {
    const changed = await api(server.url, 'POST', '/api/demo/orders/1234/status', {
      body: { status: 'shipped' },
    });
    expect(changed.status).toBe(200);
    const grant = await api(server.url, 'POST', '/api/demo/orders/1235/grant');
    expect(grant.status).toBe(200);
    expect(received).toEqual([]);
    // The links people follow still point where the dashboard is published.
    const [record] = await server.db.query<{ url: string }>(`select url from records where id = '1234'`);
    expect(record?.url).toBe(`${receiverUrl}/demo.html#/orders/1234`);
  });
});

describe('npm start', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const unset = {
    PARLEY_DEMO: undefined,
    PARLEY_JWT_SECRET: undefined,
    DATABASE_URL: undefined,
    HOST: undefined,
  };

  it('prints one loud line that the demo login is unauthenticated', async () => {
    const dir = scratchDataDir();
    dirs.push(dir);
    const child = await startChildServer({ env: { ...unset, PARLEY_DATA_DIR: dir } });
    try {
      // Healthy comes first; the banner follows once the demo's orders are declared.
      await expect.poll(() => child.output()).toMatch(/^Open http:\/\/\S+$/m);
      const warnings = child.output().match(/^!!! DEMO MODE: .*unauthenticated.*$/gm) ?? [];
      expect(warnings).toHaveLength(1);
    } finally {
      await child.stop();
    }
  });

  it('refuses to start on a production database without a secret, naming the variable to set', async () => {
    const refused = startChildServer({
      env: { ...unset, DATABASE_URL: 'postgres://parley@db.internal:5432/parley' },
    });
    await expect(refused).rejects.toThrow(
      /Parley cannot start: PARLEY_JWT_SECRET or PARLEY_JWKS_URL: one is required .*DATABASE_URL is set/,
    );
  });
});
