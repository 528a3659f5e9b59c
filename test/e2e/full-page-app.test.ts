// The full-page chat outside the demo, signed in through the host (PARLEY_APP_TOKEN_URL): Parley serves the
// installable app at `/` and none of the demo's pages; someone not signed in at the host is sent to its
// sign-in page and comes back signed in, the token coming from the host's route with the host's cookies
// (across origins, as a dashboard and its chat on two subdomains are); the app shows that user's
// conversations live, installs, and works offline from its kept shell. Without a token route there is no
// full-page chat, only what a host's pages need (the push worker and the icons).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { axiom, knownPerson, type Person, tokenFor } from '../helpers/access.ts';
import { browserAvailable, launchBrowser } from '../helpers/browser.ts';
import { openDirectBoth, postMessage } from '../helpers/conversations.ts';
import { useTestServer } from '../helpers/test-server.ts';
import { axeViolations, DESKTOP, BROWSER_TEST_TIMEOUT as TEST_TIMEOUT } from '../helpers/widget-browser.ts';

const SESSION_COOKIE = 'dash_session';

/** The host dashboard: its sign-in sets a session cookie; its token route answers that person's token. */
const signedIn = new Map<string, Person>();
let parleyOrigin = '';
let nextPerson: Person | undefined;
/** Where each visit to the host's sign-in was to come back to. */
const signIns: string[] = [];
const cookieOf = (request: IncomingMessage) =>
  /(?:^|;\s*)dash_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
const host = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://host');
  if (url.pathname === '/login' && nextPerson) {
    const session = nextPerson.id;
    signIns.push(url.searchParams.get('next') ?? '');
    signedIn.set(session, nextPerson);
    response.writeHead(302, {
      'set-cookie': `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`,
      location: url.searchParams.get('next') ?? '/',
    });
    response.end();
    return;
  }
  if (url.pathname === '/token') {
    const cors = { 'access-control-allow-origin': parleyOrigin, 'access-control-allow-credentials': 'true' };
    const person = signedIn.get(cookieOf(request) ?? '');
    if (!person) {
      response.writeHead(401, { ...cors, 'content-type': 'application/json' });
      response.end('{"error":"not signed in"}');
      return;
    }
    tokenFor(person, {}, 600).then((token) => {
      response.writeHead(200, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify({ token }));
    });
    return;
  }
  response.writeHead(404).end();
});
await new Promise<void>((listening) => host.listen(0, '127.0.0.1', listening));
const hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
afterAll(() => new Promise((closed) => host.close(closed)));

describe('the full-page chat signed in through the host', () => {
  const parley = useTestServer('pglite', {
    env: {
      PARLEY_APP_TOKEN_URL: `${hostUrl}/token`,
      PARLEY_APP_SIGN_IN_URL: `${hostUrl}/login?next={returnTo}`,
    },
  });

  it('serves the app and how it signs in, and none of the demo', async () => {
    const config = await fetch(`${parley.url}/app-config.json`);
    expect(config.status).toBe(200);
    expect(await config.json()).toEqual({
      signIn: 'host',
      tokenUrl: `${hostUrl}/token`,
      signInUrl: `${hostUrl}/login?next={returnTo}`,
    });
    for (const path of [
      '/',
      '/index.html',
      '/chat.js',
      '/host-session.js',
      '/manifest.webmanifest',
      '/sw.js',
    ])
      expect((await fetch(`${parley.url}${path}`)).status, path).toBe(200);
    for (const path of ['/demo.html', '/demo-session.js', '/demo-login.js', '/api/demo/users'])
      expect((await fetch(`${parley.url}${path}`)).status, path).toBe(404);
    const worker = await fetch(`${parley.url}/push-worker.js`);
    expect(worker.headers.get('access-control-allow-origin')).toBe('*');
    expect(worker.headers.get('cache-control')).toBe('no-cache');
  });

  it.runIf(browserAvailable)(
    'sends someone signed out to the host’s sign-in and back, then shows their conversations live, installable',
    async () => {
      parleyOrigin = new URL(parley.url).origin;
      const ana = await knownPerson(parley.url, 'Ana', { ...axiom, displayName: 'Ana Lima' });
      const ben = await knownPerson(parley.url, 'Ben', { ...axiom, displayName: 'Ben Ortiz' });
      const direct = await openDirectBoth(parley.url, ben, ana);
      await postMessage(parley.url, ben, direct.id, 'Is PO-1234 on its way?');
      nextPerson = ana;

      const browser = await launchBrowser();
      try {
        const context = await browser.newContext(DESKTOP);
        const page = await context.newPage();
        await page.goto(`${parley.url}/?conversation=${direct.id}`);
        await page.locator('parley-chat textarea').waitFor();
        // Through the host's sign-in and back to the conversation the link named.
        expect(signIns).toEqual([`${parley.url}/?conversation=${direct.id}`]);
        expect(new URL(page.url()).searchParams.get('conversation')).toBe(direct.id);
        await page.locator('parley-chat .bubble', { hasText: 'Is PO-1234 on its way?' }).waitFor();
        expect(await page.locator('#switch-user').isHidden()).toBe(true);
        expect(await page.locator('#dashboard-demo').isHidden()).toBe(true);

        await postMessage(parley.url, ben, direct.id, 'It left this morning.');
        await page.locator('parley-chat .bubble', { hasText: 'It left this morning.' }).waitFor();
        expect(await axeViolations(page, 'page')).toEqual([]);

        await page.evaluate(() => navigator.serviceWorker.ready);
        const cdp = await context.newCDPSession(page);
        await expect
          .poll(async () =>
            (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.map(
              (error) => error.errorId,
            ),
          )
          .toEqual(['in-incognito']);
        await cdp.detach();

        // Offline, the kept shell opens and the chat starts on the last token.
        await page.reload();
        await page.locator('parley-chat textarea').waitFor();
        await context.setOffline(true);
        await page.reload();
        await page.locator('parley-chat').waitFor();
        expect(await page.locator('#signed-out-screen').isHidden()).toBe(true);
        await context.setOffline(false);
      } finally {
        await browser.close();
      }
    },
    TEST_TIMEOUT,
  );
});

describe('without a token route', () => {
  const parley = useTestServer('pglite');

  it('serves no full-page chat, only the push worker and icons a host’s pages use', async () => {
    for (const path of ['/', '/index.html', '/chat.js', '/app-config.json', '/sw.js', '/demo.html'])
      expect((await fetch(`${parley.url}${path}`)).status, path).toBe(404);
    for (const path of ['/push-worker.js', '/icons/icon-192.png'])
      expect((await fetch(`${parley.url}${path}`)).status, path).toBe(200);
  });
});
