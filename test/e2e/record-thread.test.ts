// A record thread as its people see it on the demo dashboard: the context card with the record's status and
// the way back to it, host events' links, which references link, and presence while the viewer is offline.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  BROWSER_TEST_TIMEOUT,
  bubbles,
  chatAboutOrder,
  DESKTOP,
  LOOKS,
  launcher,
  openConversation,
  screenshot,
  send,
  useDemoBrowser,
} from '../helpers/widget-browser.ts';

const TEST_TIMEOUT = 90_000;
const SCREENSHOTS: Record<string, string> = {
  'desktop-light': 'record-thread-desktop',
  'mobile-dark': 'record-thread-mobile-dark',
};

/**
 * Whether every part of the text (or the element) shows on screen: inside the viewport and inside each
 * ancestor that clips its overflow. A card cut to "SKU: SKU-AB-12 …" keeps its hidden words in the DOM.
 */
async function unclipped(scope: Locator, text: string | null): Promise<boolean> {
  return scope.evaluate((root, wanted) => {
    let rects: DOMRect[] = [];
    let start: Element = root;
    if (wanted === null) rects = [root.getBoundingClientRect()];
    else {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(wanted) ?? -1;
        if (at === -1) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + wanted.length);
        rects = [...range.getClientRects()];
        start = node.parentElement as Element;
        break;
      }
    }
    if (rects.length === 0) return false;
    const inside = (rect: DOMRect, box: { left: number; right: number; top: number; bottom: number }) =>
      rect.width > 0 &&
      rect.left >= box.left - 0.5 &&
      rect.right <= box.right + 0.5 &&
      rect.top >= box.top - 0.5 &&
      rect.bottom <= box.bottom + 0.5;
    const viewport = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
    for (const rect of rects) {
      if (!inside(rect, viewport)) return false;
      for (
        let el: Element | null = start;
        el;
        el = el.parentElement ?? (el.getRootNode() as ShadowRoot).host
      ) {
        if (getComputedStyle(el).overflow !== 'visible' && !inside(rect, el.getBoundingClientRect()))
          return false;
        if (el === document.documentElement) break;
      }
    }
    return true;
  }, text);
}

/** The colour a widget token resolves to where `link` is, in the look the page is in. */
const tokenColour = (link: Locator, token: string) =>
  link.evaluate((node, name) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${name})`;
    node.parentElement?.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  }, token);

describe('record thread', () => {
  const demo = useDemoBrowser();
  const { openAs } = demo;
  const run = Date.now().toString(36);

  beforeAll(async () => {
    // The host's back-end moves order 1235 on: its card says so and an event with its link lands in the thread.
    const response = await fetch(`${demo.server.url}/api/demo/orders/1235/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'packed' }),
    });
    expect(response.status).toBe(200);
  }, BROWSER_TEST_TIMEOUT);

  describe.each(LOOKS)('in $name', ({ name, options }) => {
    it(
      'the context card shows the status first, the key facts and an "Open record" link, none cut off',
      async () => {
        const page = await openAs('ana', '/demo.html', options);
        await chatAboutOrder(page, '1235');
        const card = page.locator('parley-chat .record-card');
        await expect.poll(() => card.textContent()).toContain('packed');
        const text = (await card.textContent()) ?? '';
        expect(text.indexOf('packed')).toBeLessThan(text.indexOf('Oracare Bristol clinic'));
        expect(await unclipped(card, 'packed'), 'the status shows').toBe(true);
        const open = card.locator('a', { hasText: 'Open record' });
        expect(await open.getAttribute('href')).toContain('/demo.html#/orders/1235');
        expect(await unclipped(open, null), 'the whole "Open record" link shows').toBe(true);

        const found = await axeViolations(page);
        expect(found, found.join('\n')).toEqual([]);
        const shot = SCREENSHOTS[name];
        if (shot) await screenshot(page, shot);

        // Every fact is there: a tap on the card shows those the two lines cut.
        const facts = card.locator('.record-facts');
        await facts.click();
        expect(await facts.getAttribute('aria-expanded')).toBe('true');
        for (const fact of ['Customer: Oracare Bristol clinic', 'Ship date: 2026-11-26', 'SKU: SKU-AB-12'])
          expect(await unclipped(card, fact), `${fact} shows`).toBe(true);
        await page.context().close();
      },
      TEST_TIMEOUT,
    );

    it(
      "a link in a host event's chip has the widget's link colour and underline",
      async () => {
        const page = await openAs('ana', '/demo.html', options);
        await chatAboutOrder(page, '1235');
        // The host's event about the order links to it in the widget's own link colour.
        const link = page.locator('parley-chat .event .record-link', { hasText: 'Order #1235' });
        await link.first().waitFor();
        expect(await link.first().evaluate((node) => getComputedStyle(node).color)).toBe(
          await tokenColour(link.first(), '--link'),
        );
        expect(await link.first().evaluate((node) => getComputedStyle(node).textDecorationLine)).toContain(
          'underline',
        );

        const found = await axeViolations(page);
        expect(found, found.join('\n')).toEqual([]);
        await page.context().close();
      },
      TEST_TIMEOUT,
    );

    it(
      'while the viewer is offline nobody shows as online: presence is unknown until the next sync',
      async () => {
        const ana = await openAs('ana', '/demo.html', options);
        const olivia = await openAs('olivia', '/demo.html', DESKTOP);
        await openConversation(ana, 'Olivia Chen');
        const subtitle = ana.locator('parley-chat .header:has(#parley-thread-title) .header-subtitle');
        await expect.poll(() => subtitle.textContent()).toBe('Online');

        await ana.context().setOffline(true);
        await expect.poll(() => subtitle.textContent()).toBe('Status unknown while you are offline');
        const dot = ana.locator('parley-chat .header:has(#parley-thread-title) .presence');
        expect(await dot.getAttribute('class')).toContain('unknown');
        expect(await dot.getAttribute('aria-label')).toBe('Status unknown while you are offline');
        await ana.locator('parley-chat .back').click();
        const listed = ana
          .locator('parley-chat .conversation', { hasText: 'Olivia Chen' })
          .locator('.presence');
        await expect.poll(() => listed.getAttribute('class')).toContain('unknown');
        expect(await ana.locator('parley-chat .presence.online').count()).toBe(0);
        const found = await axeViolations(ana);
        expect(found, found.join('\n')).toEqual([]);

        // Olivia leaves meanwhile: back online, Ana learns it from the fresh sync, not from what she held.
        await olivia.context().close();
        await ana.context().setOffline(false);
        await expect.poll(() => ana.locator('parley-chat .status').textContent()).toBe('Connected');
        await expect.poll(() => listed.getAttribute('class')).toBe('presence offline');
        await openConversation(ana, 'Olivia Chen');
        await expect.poll(() => subtitle.textContent()).toMatch(/^Last seen /);
        await ana.context().close();
      },
      TEST_TIMEOUT,
    );
  });

  it(
    'a record thread shows a document icon, not the initials of its title, in its header and in the list',
    async () => {
      const page = await openAs('ana', '/demo.html');
      await chatAboutOrder(page, '1235');
      // A record thread's avatar is an icon, not the initials of "Order #1235".
      const avatar = page.locator('parley-chat .header:has(#parley-thread-title) .avatar');
      expect((await avatar.textContent())?.trim()).toBe('');
      expect(await avatar.locator('svg').count()).toBe(1);

      await page.locator('parley-chat .back').click();
      const listed = page.locator('parley-chat .conversation', { hasText: 'Order #1235' }).locator('.avatar');
      expect((await listed.textContent())?.trim()).toBe('');
    },
    TEST_TIMEOUT,
  );

  it(
    'only a reference to a record the user can open links: "step #3" is text, "order #1234" opens its thread',
    async () => {
      const page = await openAs('olivia', '/demo.html');
      await openConversation(page, '#oracare-team');
      await send(page, `step #3 is done ${run}, order #1234 is next`);
      const bubble = bubbles(page, `step #3 is done ${run}`);
      await bubble.waitFor();
      expect(await bubble.locator('.record-link').allTextContents()).toEqual(['order #1234']);
      expect(await bubble.locator('a, button').count()).toBe(1);
      await bubble.locator('.record-link').click();
      await expect
        .poll(() => page.locator('parley-chat #parley-thread-title').textContent())
        .toContain('Order #1234');
    },
    TEST_TIMEOUT,
  );

  it(
    'a host pattern with linkUnknown links every match, known to the widget or not',
    async () => {
      const page = await openAs('olivia', '/demo.html');
      await startWith(page, [{ type: 'order', pattern: '#(\\d+)', linkUnknown: true }]);
      await openConversation(page, '#oracare-team');
      await send(page, `step #4 is done ${run}, order #1234 is next`);
      const bubble = bubbles(page, `step #4 is done ${run}`);
      await bubble.waitFor();
      expect(await bubble.locator('.record-link').allTextContents()).toEqual(['#4', '#1234']);
    },
    TEST_TIMEOUT,
  );
});

/** Starts the widget again on the demo page with the host's own reference patterns. */
async function startWith(page: Page, references: object[]): Promise<void> {
  await page.evaluate(async (configured) => {
    const token = sessionStorage.getItem('parley-demo-token') ?? '';
    const parley = (window as unknown as { Parley: { init(options: object): Promise<void> } }).Parley;
    await parley.init({ server: location.origin, getToken: async () => token, references: configured });
  }, references);
  await launcher(page).waitFor();
}
