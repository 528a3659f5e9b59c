// The widget in a real browser against a real Parley in demo mode: two users of different organisations chat
// live, offline sends arrive once, hostile messages stay text, and every state passes axe in light and dark.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import {
  axeViolations,
  badgeCount,
  bubbles,
  chatAboutOrder,
  DESKTOP,
  LOOKS,
  launcher,
  openConversation,
  screenshot,
  send,
  synced,
  BROWSER_TEST_TIMEOUT as TEST_TIMEOUT,
  useDemoBrowser,
} from '../helpers/widget-browser.ts';

const run = Math.random().toString(36).slice(2, 8);

describe.runIf(browserAvailable)('the widget in a browser', () => {
  let ana: Page;
  let olivia: Page;

  const demo = useDemoBrowser();
  const openAs: typeof demo.openAs = (...args) => demo.openAs(...args);

  beforeAll(async () => {
    [ana, olivia] = await Promise.all([openAs('ana', '/demo.html'), openAs('olivia', '/demo.html')]);
  }, TEST_TIMEOUT);

  it(
    'a direct message reaches the other organisation live, with typing, the unread badge and history',
    async () => {
      await synced(olivia);
      const before = await badgeCount(olivia);
      await openConversation(ana, 'Olivia Chen');
      const text = `Order #1234 left the dock ${run}`;
      await send(ana, text);
      await expect.poll(() => badgeCount(olivia)).toBe(before + 1);

      await openConversation(olivia, 'Ana Lima');
      await bubbles(olivia, text).waitFor();
      const typing = olivia.locator('parley-chat .typing');
      await ana.locator('parley-chat textarea').fill('Tracking number is');
      await expect.poll(() => typing.textContent()).toContain('Ana is typing');
      await ana.locator('parley-chat textarea').fill('');
      await expect.poll(() => typing.isVisible()).toBe(false);

      await ana.reload();
      await openConversation(ana, 'Olivia Chen');
      await expect.poll(() => bubbles(ana, text).count()).toBe(1);
    },
    TEST_TIMEOUT,
  );

  it(
    'messages written while offline arrive exactly once when the connection returns',
    async () => {
      const texts = [`Offline one ${run}`, `Offline two ${run}`];
      await ana.context().setOffline(true);
      for (const text of texts) await send(ana, text);
      // Offline for real: the socket is down and both messages wait in the outbox.
      await expect.poll(() => ana.locator('parley-chat .message.pending').count()).toBe(2);
      await ana.context().setOffline(false);

      for (const text of texts) await bubbles(olivia, text).waitFor({ timeout: 20_000 });
      // Once the sender has nothing pending, every resend has been answered: no copy can still arrive.
      await expect
        .poll(() => ana.locator('parley-chat .message.pending').count(), { timeout: 20_000 })
        .toBe(0);
      for (const text of texts) {
        expect(await bubbles(olivia, text).count()).toBe(1);
        expect(await bubbles(ana, text).count()).toBe(1);
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'hostile messages render as text and run nothing',
    async () => {
      const payloads = [
        `xss1 ${run} <img src=x onerror="window.__pwned=1">`,
        `xss2 ${run} <script>window.__pwned=1</script>`,
        `xss3 ${run} [x](javascript:window.__pwned=1)`,
        `xss4 ${run} javascript:window.__pwned=1`,
      ];
      for (const payload of payloads) await send(ana, payload);
      for (const index of [1, 2, 3, 4]) await bubbles(olivia, `xss${index} ${run}`).first().waitFor();

      for (const page of [ana, olivia]) {
        const hostile = page.locator('parley-chat .bubble', { hasText: run }).filter({ hasText: /xss\d/ });
        expect(await hostile.count()).toBe(4);
        expect(await page.locator('parley-chat .bubble img, parley-chat .bubble script').count()).toBe(0);
        await expect.poll(() => bubbles(page, `xss1 ${run}`).textContent()).toContain('<img src=x onerror=');
        await expect.poll(() => bubbles(page, `xss2 ${run}`).textContent()).toContain('<script>');
        const links = hostile.locator('a');
        for (const href of await links.evaluateAll((nodes) => nodes.map((a) => a.getAttribute('href')))) {
          expect(href ?? '').not.toMatch(/^\s*javascript:/i);
        }
        for (const link of await links.all()) await link.click({ modifiers: ['Alt'] }).catch(() => undefined);
        for (const bubble of await hostile.all()) await bubble.click();
        expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    '"Chat about this order" on the dashboard opens the order\'s thread in the widget',
    async () => {
      await chatAboutOrder(ana, '1235');
      const card = ana.locator('parley-chat .record-card');
      await expect.poll(() => card.textContent()).toContain('Status: received');
      expect(await ana.locator('tr[data-order="1235"] .inline-note').isVisible()).toBe(false);
    },
    TEST_TIMEOUT,
  );

  it(
    'changing an order status on the dashboard posts an event into the open order thread',
    async () => {
      await chatAboutOrder(ana, '1234');
      await send(ana, `packing slip printed ${run}`);
      await bubbles(ana, `packing slip printed ${run}`).waitFor();
      await ana.locator('tr[data-order="1234"] select').selectOption('shipped');
      const event = ana.locator('parley-chat .messages', { hasText: 'Order #1234 is now shipped.' });
      await expect.poll(() => event.count(), { timeout: 15_000 }).toBe(1);
      await expect.poll(() => ana.locator('tr[data-order="1234"] .status').textContent()).toBe('Shipped');
    },
    TEST_TIMEOUT,
  );

  it(
    'an internal note in an order thread shows who sees it and never reaches the client',
    async () => {
      for (const page of [ana, olivia]) await chatAboutOrder(page, '1236');
      const audience = ana.locator('parley-chat .audience-line');
      await expect.poll(() => audience.textContent()).toContain('Visible to Axiom Fulfillment');
      await expect.poll(() => audience.textContent()).toContain('Oracare');
      expect(await olivia.locator('parley-chat .audience-switch').count()).toBe(0);

      await ana.locator('parley-chat .audience-switch button', { hasText: 'Internal note' }).click();
      await expect
        .poll(() => audience.textContent())
        .toBe('Internal note: only Axiom Fulfillment can see it');
      await send(ana, `note ${run}: client pays late, hold the shipment`);
      await ana.locator('parley-chat .message.note .bubble', { hasText: `note ${run}` }).waitFor();
      await screenshot(ana, 'widget-internal-note');
      const found = await axeViolations(ana);
      expect(found, found.join('\n')).toEqual([]);

      const [dossier] = await Promise.all([
        ana.context().waitForEvent('page'),
        ana.locator('parley-chat button[aria-label^="Export this conversation"]').click(),
      ]);
      await expect.poll(() => dossier.locator('body').textContent()).toContain(`note ${run}`);
      expect(await dossier.locator('body').textContent()).toContain('Internal note');
      await dossier.close();

      await ana.locator('parley-chat .audience-switch button', { hasText: 'Everyone' }).click();
      await send(ana, `public ${run}: shipping tomorrow`);
      await bubbles(olivia, `public ${run}`).waitFor();
      expect(await bubbles(olivia, `note ${run}`).count()).toBe(0);
      expect(
        await olivia.locator('parley-chat').evaluate((host) => host.shadowRoot?.innerHTML ?? ''),
      ).not.toContain(`note ${run}`);
    },
    TEST_TIMEOUT,
  );

  it(
    "an order named in a message opens that order's thread",
    async () => {
      const page = await openAs('olivia', '/demo.html');
      await openConversation(page, '#oracare-team');
      const reference = bubbles(page, 'Can you confirm order #1234').locator('.record-link');
      expect(await reference.textContent()).toBe('order #1234');
      await reference.click();
      const title = page.locator('parley-chat #parley-thread-title');
      await expect.poll(() => title.textContent()).toContain('Order #1234');
    },
    TEST_TIMEOUT,
  );

  it(
    'searching messages finds words the user may read and opens the thread at the hit',
    async () => {
      const page = await openAs('olivia', '/demo.html');
      await launcher(page).click();
      await page.locator('parley-chat .search input').fill('UPS pickup');
      const hit = page.locator('parley-chat .conversation.hit', { hasText: '#oracare-team' }).first();
      await hit.waitFor();
      expect(await hit.locator('mark').allTextContents()).toEqual(expect.arrayContaining(['UPS', 'pickup']));
      await screenshot(page, 'widget-search');
      const found = await axeViolations(page);
      expect(found, found.join('\n')).toEqual([]);
      await hit.click();
      await expect
        .poll(() => page.locator('parley-chat #parley-thread-title').textContent())
        .toBe('#oracare-team');
      const focused = page.locator('parley-chat .row.focused .bubble');
      await expect.poll(() => focused.textContent()).toContain('the UPS pickup is at 3pm');
      expect(await focused.isVisible()).toBe(true);

      // Narrowed to this conversation from its header: a word from elsewhere is not found here.
      await page.locator('parley-chat button[aria-label="Search in #oracare-team"]').click();
      await expect
        .poll(() => page.locator('parley-chat .search-scope').textContent())
        .toContain('#oracare-team');
      await page.locator('parley-chat .search input').fill('five minutes');
      await page.locator('parley-chat .notice', { hasText: 'No messages match' }).waitFor();
      await page.locator('parley-chat button[aria-label="Search all conversations"]').click();
      await page.locator('parley-chat .conversation.hit', { hasText: 'Ana Lima' }).first().waitFor();
      expect(await page.locator('parley-chat .search-scope').count()).toBe(0);
    },
    TEST_TIMEOUT,
  );

  for (const state of LOOKS) {
    it(
      `the ${state.name} widget has no axe violations, closed, listing and in a thread`,
      async () => {
        const page = await openAs('olivia', '/demo.html', state.options);
        const found: string[] = [];
        found.push(...(await axeViolations(page)).map((v) => `launcher: ${v}`));
        await launcher(page).click();
        await page.locator('parley-chat .conversation').first().waitFor();
        found.push(...(await axeViolations(page)).map((v) => `list: ${v}`));
        await openConversation(page, '#oracare-team');
        await bubbles(page, 'Can you confirm order #1234').waitFor();
        found.push(...(await axeViolations(page)).map((v) => `thread: ${v}`));
        await screenshot(page, `widget-${state.name}`);

        if (state.options.isMobile) {
          const box = await page.locator('parley-chat .panel').boundingBox();
          expect(box).toMatchObject({ x: 0, y: 0, width: 390 });
          expect(box?.height).toBeGreaterThanOrEqual(800);
        }
        expect(found, found.join('\n')).toEqual([]);
      },
      TEST_TIMEOUT,
    );
  }

  it(
    'the full-page chat fills the page and has no axe violations',
    async () => {
      const page = await openAs('ana', '/', { ...DESKTOP, colorScheme: 'light' });
      await openConversation(page, '#oracare-team');
      const box = await page.locator('parley-chat .panel').boundingBox();
      expect(box?.width).toBe(1280);
      expect(box?.height).toBeGreaterThan(700);
      expect(await launcher(page).count()).toBe(0);
      await screenshot(page, 'page-desktop-light');
      const found = await axeViolations(page);
      expect(found, found.join('\n')).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});
