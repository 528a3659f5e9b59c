// Acting on messages with touch, keys and drag in a real browser: a finger held on a message opens its
// actions menu (a scroll or a tap does not); the emoji picker's grid moves with the arrow keys, Home and End
// with one tab stop, Enter reacts and Esc closes it and gives focus back; files dragged over a thread show
// where they will go, and dropped, are attached. Each state passes axe.
import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { hasFocus, menuItem, message, openActions } from '../helpers/message-browser.ts';
import {
  axeViolations,
  bubbles,
  MOBILE,
  openConversation,
  send,
  BROWSER_TEST_TIMEOUT as TEST_TIMEOUT,
  useDemoBrowser,
} from '../helpers/widget-browser.ts';

const run = Math.random().toString(36).slice(2, 8);
const menu = (page: Page) => page.locator('parley-chat [role=menu]');

/** A finger on the middle of the message's bubble, held `holdMs`, moved `moveY` pixels on the way. */
async function touch(page: Page, cdp: CDPSession, text: string, holdMs: number, moveY = 0): Promise<void> {
  const box = await message(page, text).locator('.bubble').boundingBox();
  if (!box) throw new Error(`no bubble shows ${text}`);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  if (moveY) {
    for (const step of [1, 2, 3, 4])
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: [{ x, y: y + (moveY * step) / 4 }],
      });
  }
  await page.waitForTimeout(holdMs);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

describe.runIf(browserAvailable)('acting on messages with touch, keys and drag', () => {
  const demo = useDemoBrowser();

  it(
    'a finger held on a message opens its menu; a tap or a scroll does not',
    async () => {
      const page = await demo.openAs('ana', '/demo.html', MOBILE);
      const cdp = await page.context().newCDPSession(page);
      await openConversation(page, 'Olivia Chen');
      const text = `Hold me ${run}`;
      await send(page, text);
      await bubbles(page, text).waitFor();

      // The hold has to be timed: waiting past it is how to see that nothing opened.
      await touch(page, cdp, text, 150);
      await touch(page, cdp, text, 700, 60);
      await page.waitForTimeout(300);
      expect(await menu(page).count()).toBe(0);

      await touch(page, cdp, text, 700);
      await menu(page).waitFor();
      expect(await menuItem(page, 'Reply').count()).toBe(1);
      const found = await axeViolations(page);
      expect(found, found.join('\n')).toEqual([]);
      await menuItem(page, 'Reply').click();
      await expect.poll(() => page.locator('parley-chat .reply-bar').textContent()).toContain(text);
    },
    TEST_TIMEOUT,
  );

  it(
    'the emoji grid is one tab stop the arrow keys, Home and End move in; Enter reacts, Esc gives focus back',
    async () => {
      const page = await demo.openAs('ana', '/demo.html');
      await openConversation(page, 'Olivia Chen');
      const text = `Pick by keys ${run}`;
      await send(page, text);
      await bubbles(page, text).waitFor();
      await openActions(page, text);
      await menuItem(page, 'Add reaction').click();
      const search = page.locator('parley-chat .picker input');
      await expect.poll(() => search.evaluate(hasFocus)).toBe(true);
      const cells = page.locator('parley-chat .picker .emoji');
      const focusedCell = () =>
        cells.evaluateAll((buttons) => {
          const root = buttons[0]?.getRootNode() as ShadowRoot | undefined;
          return buttons.indexOf(root?.activeElement as HTMLElement);
        });
      const tabStops = () =>
        cells.evaluateAll((buttons) => buttons.filter((button) => button.tabIndex === 0).length);

      await page.keyboard.press('ArrowDown');
      await expect.poll(focusedCell).toBe(0);
      await page.keyboard.press('ArrowRight');
      await expect.poll(focusedCell).toBe(1);
      // Seven to a row in the popover.
      await page.keyboard.press('ArrowDown');
      await expect.poll(focusedCell).toBe(8);
      await page.keyboard.press('End');
      await expect.poll(focusedCell).toBe((await cells.count()) - 1);
      await page.keyboard.press('Home');
      await expect.poll(focusedCell).toBe(0);
      expect(await tabStops()).toBe(1);
      const found = await axeViolations(page);
      expect(found, found.join('\n')).toEqual([]);
      await page.keyboard.press('ArrowUp');
      await expect.poll(() => search.evaluate(hasFocus)).toBe(true);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      const third = await cells.nth(2).getAttribute('aria-label');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => message(page, text).locator('.reaction').getAttribute('title'))
        .toBe(`You reacted with ${third}`);

      await openActions(page, text);
      await menuItem(page, 'Add reaction').click();
      await expect.poll(() => search.evaluate(hasFocus)).toBe(true);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('parley-chat .picker').count()).toBe(0);
      expect(await page.locator('parley-chat .panel').count()).toBe(1);
      const button = message(page, text).locator('.message-actions-button');
      await expect.poll(() => button.evaluate(hasFocus)).toBe(true);
    },
    TEST_TIMEOUT,
  );

  it(
    'files dragged over a thread show where they go, leave it as it was when dragged away, and dropped are attached',
    async () => {
      const page = await demo.openAs('ana', '/demo.html');
      await openConversation(page, 'Olivia Chen');
      const thread = page.locator('parley-chat section.thread');
      const list = page.locator('parley-chat .messages');
      const files = await page.evaluateHandle(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['Pallet 3: 40 boxes'], 'packing-list.txt', { type: 'text/plain' }));
        return transfer;
      });
      const text = await page.evaluateHandle(() => {
        const transfer = new DataTransfer();
        transfer.setData('text/plain', 'just words');
        return transfer;
      });

      await list.dispatchEvent('dragenter', { dataTransfer: text });
      expect(await thread.getAttribute('data-dropping')).toBeNull();
      await list.dispatchEvent('dragenter', { dataTransfer: files });
      await page.locator('parley-chat #parley-composer').dispatchEvent('dragenter', { dataTransfer: files });
      await list.dispatchEvent('dragleave', { dataTransfer: files });
      expect(await thread.getAttribute('data-dropping')).toBe('Drop files to attach them to your message');
      const found = await axeViolations(page);
      expect(found, found.join('\n')).toEqual([]);
      await page.locator('parley-chat #parley-composer').dispatchEvent('dragleave', { dataTransfer: files });
      expect(await thread.getAttribute('data-dropping')).toBeNull();

      await list.dispatchEvent('dragenter', { dataTransfer: files });
      await list.dispatchEvent('dragover', { dataTransfer: files });
      await list.dispatchEvent('drop', { dataTransfer: files });
      expect(await thread.getAttribute('data-dropping')).toBeNull();
      const upload = page.locator('parley-chat .uploads li', { hasText: 'packing-list.txt' });
      await expect.poll(() => upload.locator('.upload-state').textContent(), { timeout: 15_000 }).toBe('');
      expect(page.url()).toMatch(/\/demo\.html$/);
    },
    TEST_TIMEOUT,
  );
});
