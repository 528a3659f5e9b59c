// The demo host's dashboard in a real browser: the docked chat leaves every control of the order table usable,
// the table follows status changes live in every window, phones get cards, nothing is clipped, axe is clean.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import {
  axeViolations,
  chatAboutOrder,
  DESKTOP,
  LOOKS,
  launcher,
  MOBILE,
  screenshot,
  BROWSER_TEST_TIMEOUT as TEST_TIMEOUT,
  useDemoBrowser,
} from '../helpers/widget-browser.ts';

const ORDER_IDS = ['1234', '1235', '1236', '1237'];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const statusSelect = (page: Page, id: string) => page.locator(`[data-order="${id}"] select`);
const chatButton = (page: Page, id: string) =>
  page.locator(`[data-order="${id}"] button`, { hasText: 'Chat about this order' });
const statusPill = (page: Page, id: string) => page.locator(`[data-order="${id}"] .status`);
const stat = (page: Page, label: string) =>
  page.locator('.stat', { hasText: label }).locator('strong').textContent();
const threadTitle = (page: Page) => page.locator('parley-chat #parley-thread-title').textContent();

async function boxOf(page: Page, selector: string): Promise<Box> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return box;
}

/** Every control of every order row lies inside the viewport, outside `obstacle`, and takes a click. */
async function expectOrderControlsUsable(page: Page, obstacle: Box | null): Promise<void> {
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('no viewport');
  const card = page.locator('#orders-view .card');
  expect(await card.evaluate((node) => node.scrollWidth - node.clientWidth)).toBeLessThanOrEqual(0);
  for (const id of ORDER_IDS) {
    for (const control of [statusSelect(page, id), chatButton(page, id)]) {
      const box = await control.boundingBox();
      if (!box) throw new Error(`a control of order ${id} is not on screen`);
      expect(box.x, `order ${id}`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `order ${id}`).toBeLessThanOrEqual(viewport.width);
      if (obstacle) expect(overlaps(box, obstacle), `order ${id} under the chat panel`).toBe(false);
      // Playwright's hit test: the control itself, not something over it, would get the click.
      await control.click({ trial: true, timeout: 2_000 });
    }
  }
}

describe.runIf(browserAvailable)('the demo dashboard', () => {
  const demo = useDemoBrowser();

  it(
    'with the chat open at 1280×800 every status select and chat button stays visible and clickable, and the panel leaves the top bar alone',
    async () => {
      const page = await demo.openAs('raj', '/demo.html', { ...DESKTOP, colorScheme: 'light' });
      await chatAboutOrder(page, '1237');
      const panel = await boxOf(page, 'parley-chat .panel');
      expect(overlaps(panel, await boxOf(page, 'header.header'))).toBe(false);
      expect(panel.height).toBeGreaterThan(600);
      await expectOrderControlsUsable(page, panel);

      // Really clicked with the panel open: each button opens its order's thread, the select changes the order.
      for (const id of ORDER_IDS) {
        await chatButton(page, id).click();
        await expect.poll(() => threadTitle(page)).toContain(`Order #${id}`);
      }
      await statusSelect(page, '1236').selectOption('delivered');
      await expect.poll(() => statusPill(page, '1236').textContent()).toBe('Delivered');
      expect(await boxOf(page, 'parley-chat .panel')).toEqual(panel);

      // The page made room from what the widget told it; closed, the room and the focus come back.
      const dockedWidth = () =>
        page.evaluate(() => document.documentElement.style.getPropertyValue('--parley-docked-width'));
      expect(await dockedWidth()).toBe(`${panel.width}px`);
      await page.locator('parley-chat textarea').focus();
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('parley-chat .panel').count()).toBe(0);
      await expect.poll(dockedWidth).toBe('');
      await expect.poll(() => launcher(page).evaluate((button) => button.matches(':focus'))).toBe(true);
    },
    TEST_TIMEOUT,
  );

  it(
    "a status change reaches every window's order table without a reload: live where the user is in the order's thread, on coming back elsewhere",
    async () => {
      const [ana, olivia, noah] = await Promise.all([
        demo.openAs('ana', '/demo.html'),
        demo.openAs('olivia', '/demo.html'),
        demo.openAs('noah', '/demo.html'),
      ]);
      await chatAboutOrder(olivia, '1235');
      await expect.poll(() => statusPill(olivia, '1235').textContent()).toBe('Received');
      const toPack = Number(await stat(ana, 'To pack'));
      const readyToShip = Number(await stat(ana, 'Ready to ship'));

      await statusSelect(ana, '1235').selectOption('packed');
      for (const page of [olivia, ana]) {
        await expect.poll(() => statusPill(page, '1235').textContent()).toBe('Packed');
        await expect.poll(() => statusSelect(page, '1235').inputValue()).toBe('packed');
        await expect.poll(() => stat(page, 'To pack')).toBe(String(toPack - 1));
        await expect.poll(() => stat(page, 'Ready to ship')).toBe(String(readyToShip + 1));
      }
      await olivia
        .locator('parley-chat .messages', { hasText: 'Order #1235 is now packed.' })
        .waitFor({ timeout: 15_000 });

      // Someone who is not in the order's thread sees the change on coming back to their window.
      await noah.evaluate(() => window.dispatchEvent(new Event('focus')));
      await expect.poll(() => statusPill(noah, '1235').textContent()).toBe('Packed');
      await expect.poll(() => stat(noah, 'Ready to ship')).toBe(String(readyToShip + 1));

      // The hook the table listens to: a listener added now hears each record thread's current state at once.
      const status = await olivia.evaluate(
        () =>
          new Promise((resolve) => {
            window.Parley.on('record', (record) => {
              if (record.type === 'order' && record.id === '1235') resolve(record.context.Status);
            });
          }),
      );
      expect(status).toBe('packed');
    },
    TEST_TIMEOUT,
  );

  for (const look of LOOKS) {
    it(
      `the ${look.name} dashboard has no axe violations on the whole page, closed and with the chat open`,
      async () => {
        const page = await demo.openAs('olivia', '/demo.html', look.options);
        const found: string[] = [];
        found.push(...(await axeViolations(page, 'page')).map((v) => `closed: ${v}`));
        if (look.options.isMobile) {
          await expectOrderControlsUsable(page, null);
          if (look.name === 'mobile-dark') await screenshot(page, 'demo-dashboard-mobile-dark');
        }
        await chatAboutOrder(page, '1234');
        await page.locator('parley-chat .record-card').waitFor();
        found.push(...(await axeViolations(page, 'page')).map((v) => `open: ${v}`));
        found.push(...(await axeViolations(page)).map((v) => `widget: ${v}`));
        if (look.name === 'desktop-light') await screenshot(page, 'demo-dashboard-desktop');
        if (look.options.isMobile) {
          // On a phone the chat takes the whole screen, as before.
          expect(await boxOf(page, 'parley-chat .panel')).toMatchObject({ x: 0, y: 0, width: 390 });
        }
        await page.goto('/demo.html#/inventory');
        found.push(...(await axeViolations(page, 'page')).map((v) => `inventory: ${v}`));
        expect(found, found.join('\n')).toEqual([]);
      },
      TEST_TIMEOUT,
    );
  }

  for (const options of [DESKTOP, MOBILE]) {
    const width = options.viewport?.width;
    it(
      `no text on the demo pages is clipped at ${width} px, the user pickers included`,
      async () => {
        const dashboard = await demo.openAs('nina', '/demo.html', options);
        const problems = await clippedText(dashboard);
        await dashboard.goto('/demo.html#/inventory');
        problems.push(...(await clippedText(dashboard)));
        // The full-page chat's sign-in lists the demo users with their e-mail addresses.
        const signedOut = await demo.browser.newContext({ ...options, baseURL: demo.server.url });
        const login = await signedOut.newPage();
        await login.goto('/');
        await login.locator('.user-card').first().waitFor();
        problems.push(...(await clippedText(login)));
        await signedOut.close();
        expect(problems, problems.join('\n')).toEqual([]);
      },
      TEST_TIMEOUT,
    );
  }
});

/**
 * Text the page cuts off: a visible element whose content is wider than its box while it hides the overflow
 * (ellipsis included), and a select too narrow for one of its options.
 */
function clippedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const describe = (node: Element) =>
      `${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}.${[...node.classList].join('.')}`;
    const measure = document.createElement('canvas').getContext('2d');
    for (const node of document.body.querySelectorAll('*')) {
      if (!(node instanceof HTMLElement) || node.closest('parley-chat')) continue;
      // Not shown, or hidden for all but screen readers (a 1 px box).
      if (node.getClientRects().length === 0 || node.clientWidth <= 1) continue;
      const style = getComputedStyle(node);
      if (node instanceof HTMLSelectElement && measure) {
        measure.font = style.font;
        // The room for text: the box less its padding and the drop-down arrow.
        const room =
          node.clientWidth -
          Number.parseFloat(style.paddingLeft) -
          Number.parseFloat(style.paddingRight) -
          16;
        for (const option of node.options) {
          const width = measure.measureText(option.text).width;
          if (width > room)
            found.push(`${describe(node)}: "${option.text}" needs ${Math.ceil(width)} px, has ${room}`);
        }
      } else if (
        style.overflowX !== 'visible' &&
        node.scrollWidth > node.clientWidth + 1 &&
        node.textContent?.trim()
      ) {
        const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
        found.push(
          `${describe(node)}${scrolls ? ' scrolls sideways' : ' clips'}: "${node.textContent.trim().slice(0, 60)}"`,
        );
      }
    }
    return found;
  });
}
