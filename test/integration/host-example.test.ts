// The example host app bridges its own login to Parley: a user logged in to the host gets a token from the
// host that Parley accepts, on REST and on the socket, as that user with the host's org and role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostApp, startHostApp } from '../../examples/host-express/server.ts';
import { createParleyClient, tokenFromUrl } from '../../src/client/index.ts';
import { api } from '../helpers/clients.ts';
import { until } from '../helpers/sdk.ts';
import { TEST_JWT_SECRET } from '../helpers/server.ts';
import { useTestServer } from '../helpers/test-server.ts';

const ISSUER = 'https://host.example.test';
const AUDIENCE = 'parley';

describe('the example Express host', () => {
  const parley = useTestServer('pglite', {
    env: { PARLEY_JWT_ISSUER: ISSUER, PARLEY_JWT_AUDIENCE: AUDIENCE },
  });
  let host: HostApp;

  beforeAll(async () => {
    host = await startHostApp({
      port: 0,
      parleyUrl: parley.url,
      jwtSecret: TEST_JWT_SECRET,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
  });
  afterAll(async () => {
    await host?.close();
  });

  const logIn = (username: string, password: string) =>
    fetch(`${host.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });

  /** The session cookie as the browser would send it back: `name=value`, without its attributes. */
  const sessionCookieOf = (response: Response) => {
    const setCookie = response.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    return setCookie[0]!.split(';')[0]!;
  };

  it('logs a user in with an HttpOnly, SameSite=Lax session cookie', async () => {
    const response = await logIn('olivia', 'demo');
    expect(response.status).toBe(200);
    const [setCookie] = response.headers.getSetCookie();
    expect(setCookie).toMatch(/^host_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Lax/i);
    const page = await fetch(`${host.url}/`, { headers: { cookie: sessionCookieOf(response) } });
    const html = await page.text();
    expect(html).toContain('Olivia Chen');
    expect(html).toContain(`<script src="${parley.url}/widget.js" data-token-url="/api/chat/token" async>`);
  });

  it('lets the SDK take its tokens from the host token URL with the host session', async () => {
    const cookie = sessionCookieOf(await logIn('raj', 'demo'));
    const client = createParleyClient({
      url: parley.url,
      getToken: tokenFromUrl(`${host.url}/api/chat/token`, { init: { headers: { cookie } } }),
      transports: ['websocket'],
    });
    try {
      client.connect();
      await until(client, () => client.status === 'connected', 10_000, 'connected with a host token');
    } finally {
      client.close();
    }
  });

  it('hands the logged-in user a token that Parley accepts on the socket and on REST as that user', async () => {
    const cookie = sessionCookieOf(await logIn('olivia', 'demo'));
    const before = Date.now();
    const response = await fetch(`${host.url}/api/chat/token`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: string };
    const lifetimeSeconds = (Date.parse(expiresAt) - before) / 1000;
    expect(lifetimeSeconds).toBeGreaterThan(9 * 60);
    expect(lifetimeSeconds).toBeLessThanOrEqual(10 * 60 + 1);

    const socket = await parley.open(token);
    expect(socket.connected).toBe(true);

    const me = await api(parley.url, 'GET', '/api/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({
      id: 'olivia',
      displayName: 'Olivia Chen',
      email: 'olivia@oracare.example',
      orgId: 'oracare',
      role: 'member',
    });
  });

  it('gives each user their own organisation and role', async () => {
    for (const [username, orgId, role] of [
      ['ana', 'axiom', 'admin'],
      ['omar', 'oracare', 'viewer'],
      ['nina', 'northwind', 'member'],
    ]) {
      const cookie = sessionCookieOf(await logIn(username!, 'demo'));
      const { token } = await (await fetch(`${host.url}/api/chat/token`, { headers: { cookie } })).json();
      const me = await api(parley.url, 'GET', '/api/me', { token });
      expect(me.body.user, username).toMatchObject({ id: username, orgId, role });
    }
  });

  it('refuses a token to anyone without a session cookie', async () => {
    for (const cookie of [undefined, 'host_session=not-a-session']) {
      const response = await fetch(`${host.url}/api/chat/token`, cookie ? { headers: { cookie } } : {});
      expect(response.status, cookie).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: 'log in first' } });
    }
  });

  it('refuses a wrong password or an unknown user and sets no cookie', async () => {
    for (const [username, password] of [
      ['olivia', 'wrong'],
      ['mallory', 'demo'],
    ]) {
      const response = await logIn(username!, password!);
      expect(response.status, username).toBe(401);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
  });

  it('refuses a login form posted from another site', async () => {
    const response = await fetch(`${host.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'username=olivia&password=demo',
    });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('ends the session at logout, after which no token is handed out', async () => {
    const cookie = sessionCookieOf(await logIn('raj', 'demo'));
    const logout = await fetch(`${host.url}/logout`, { method: 'POST', headers: { cookie } });
    expect(logout.status).toBe(204);
    const response = await fetch(`${host.url}/api/chat/token`, { headers: { cookie } });
    expect(response.status).toBe(401);
  });
});
