// The extras chunk (decision 014): the emoji picker's set, the lightbox, channel settings and message search
// are not in the main bundle but in a second file, served immutable and loaded only when first used, from
// next to the main bundle, checked by Subresource Integrity, on a host page whose Content Security Policy
// admits nothing but Parley's scripts. A chunk that cannot be loaded, or is not the one built, is said in
// place with a retry.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { hasFocus, menuItem, message, openActions } from '../helpers/message-browser.ts';
import {
  axeViolations,
  bubbles,
  DESKTOP,
  openConversation,
  send,
  BROWSER_TEST_TIMEOUT as TEST_TIMEOUT,
  useDemoBrowser,
} from '../helpers/widget-browser.ts';

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'widget');
const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as {
  file: string;
  extras: { file: string; integrity: string };
};
const mainBundle = readFileSync(join(DIST, manifest.file), 'utf8');
const chunk = readFileSync(join(DIST, manifest.extras.file));
const run = Math.random().toString(36).slice(2, 8);

/** The chunk's script elements and fetches on the page so far. */
const chunkOnPage = (page: Page) =>
  page.evaluate((file) => {
    const scripts = [...document.querySelectorAll<HTMLScriptElement>('script')].filter((script) =>
      script.src.endsWith(file),
    );
    const fetched = performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith(file));
    return {
      fetches: fetched.length,
      scripts: scripts.map(({ src, integrity, crossOrigin }) => ({ src, integrity, crossOrigin })),
    };
  }, manifest.extras.file);

const picker = (page: Page) => page.locator('parley-chat .picker');

async function openPicker(page: Page, text: string): Promise<void> {
  await openActions(page, text);
  await menuItem(page, 'Add reaction').click();
}

describe('the widget bundle and its extras chunk', () => {
  it('keeps the picker’s emoji set out of the main bundle, which names the chunk and its integrity', () => {
    for (const picked of ['seedling', '🌱', 'mind blown', 'construction/wip']) {
      expect(mainBundle).not.toContain(picked);
      expect(chunk.toString('utf8')).toContain(picked);
    }
    expect(mainBundle).toContain(manifest.extras.file);
    expect(mainBundle).toContain(manifest.extras.integrity);
    const digest = `sha384-${createHash('sha384').update(chunk).digest('base64')}`;
    expect(manifest.extras.integrity).toBe(digest);
    // One Preact: the chunk takes it, and the widget's own modules, from the main bundle.
    expect(chunk.toString('utf8')).not.toContain('__H');
  });
});

describe.runIf(browserAvailable)('the extras chunk in a browser', () => {
  const demo = useDemoBrowser();

  it(
    'is served immutable and cross-origin readable, like the hashed main bundle',
    async () => {
      const response = await fetch(`${demo.server.url}/${manifest.extras.file}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(Buffer.from(await response.arrayBuffer()).equals(chunk)).toBe(true);
      expect((await fetch(`${demo.server.url}/widget-extras.00000000.js`)).status).toBe(404);
    },
    TEST_TIMEOUT,
  );

  it(
    'loads once, on first use, next to the main bundle, with its integrity, on a host that admits only Parley’s scripts',
    async () => {
      // A host on another origin whose policy allows scripts from Parley and nothing else: no inline
      // script, no eval, no blob.
      const host = createServer((request, response) => {
        if (request.url === '/token') {
          demo.tokenFor('ana').then((token) => {
            response.writeHead(200, { 'content-type': 'application/json' });
            response.end(JSON.stringify({ token }));
          });
          return;
        }
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': `script-src ${demo.server.url}`,
        });
        response.end(
          '<!doctype html><html lang="en"><title>Orders</title><main><h1>Orders</h1></main>' +
            `<script src="${demo.server.url}/widget.js" data-token-url="/token" async></script>`,
        );
      });
      await new Promise<void>((listening) => host.listen(0, '127.0.0.1', listening));
      const context = await demo.browser.newContext(DESKTOP);
      try {
        const page = await context.newPage();
        const refused: string[] = [];
        page.on('console', (entry) => {
          if (/Content Security Policy/i.test(entry.text())) refused.push(entry.text());
        });
        await page.goto(`http://127.0.0.1:${(host.address() as AddressInfo).port}/`);
        await openConversation(page, 'Olivia Chen');
        const text = `Under a strict policy ${run}`;
        await send(page, text);
        await bubbles(page, text).waitFor();
        expect(await chunkOnPage(page)).toEqual({ fetches: 0, scripts: [] });

        await openPicker(page, text);
        await picker(page).waitFor();
        expect(await chunkOnPage(page)).toEqual({
          fetches: 1,
          scripts: [
            {
              src: `${demo.server.url}/${manifest.extras.file}`,
              integrity: manifest.extras.integrity,
              crossOrigin: 'anonymous',
            },
          ],
        });
        await picker(page).locator('input').fill('seedling');
        await picker(page).locator('input').press('Enter');
        const chip = message(page, text).locator('.reaction', { hasText: '🌱' });
        // The chunk taught the main bundle the names of its emoji.
        await expect.poll(() => chip.getAttribute('title')).toBe('You reacted with seedling');

        await openPicker(page, text);
        await picker(page).waitFor();
        await page.keyboard.press('Escape');
        expect((await chunkOnPage(page)).fetches).toBe(1);
        expect(refused).toEqual([]);
      } finally {
        await context.close();
        await new Promise((closed) => host.close(closed));
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'says in place when it cannot be loaded, and loads on retry',
    async () => {
      const page = await demo.openAs('ana', '/demo.html');
      await page.route(`**/${manifest.extras.file}`, (route) => route.abort('internetdisconnected'));
      await openConversation(page, 'Olivia Chen');
      const text = `While the chunk is away ${run}`;
      await send(page, text);
      await openPicker(page, text);
      const failure = page.locator('parley-chat .popover [role=alert]');
      await expect
        .poll(() => failure.textContent())
        .toBe('This part of the chat could not be loaded. Try again');
      expect(await axeViolations(page)).toEqual([]);

      await page.unroute(`**/${manifest.extras.file}`);
      await failure.locator('button', { hasText: 'Try again' }).click();
      await picker(page).waitFor();
      const search = picker(page).locator('input');
      await expect.poll(() => search.evaluate(hasFocus)).toBe(true);
    },
    TEST_TIMEOUT,
  );

  it(
    'is refused by the browser when it is not the chunk this main bundle was built with',
    async () => {
      const page = await demo.openAs('ana', '/demo.html');
      await page.route(`**/${manifest.extras.file}`, (route) =>
        route.fulfill({
          body: `${chunk.toString('utf8')};window.parleyTampered = true;`,
          contentType: 'text/javascript',
          headers: { 'access-control-allow-origin': '*' },
        }),
      );
      await openConversation(page, 'Olivia Chen');
      const text = `A chunk changed on the way ${run}`;
      await send(page, text);
      await openPicker(page, text);
      await page.locator('parley-chat .popover [role=alert]').waitFor();
      expect(await page.evaluate(() => 'parleyTampered' in window)).toBe(false);
      expect(await picker(page).count()).toBe(0);
    },
    TEST_TIMEOUT,
  );
});
