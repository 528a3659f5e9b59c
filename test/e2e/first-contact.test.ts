// First contact in a direct message, in real browsers side by side: the partner's presence is right on both
// sides from the start, the other side sees the conversation only once something is written in it, and a
// message written offline says when it was written and when it was sent.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import {
  axeViolations,
  badgeCount,
  bubbles,
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

const listEntry = (page: Page, title: string) =>
  page.locator('parley-chat .conversation', { hasText: title });
const listDot = (page: Page, title: string) => listEntry(page, title).locator('.presence');
const header = (page: Page) =>
  page.locator('parley-chat header.header', { has: page.locator('#parley-thread-title') });

async function openPanel(page: Page): Promise<void> {
  if ((await launcher(page).getAttribute('aria-expanded')) !== 'true') await launcher(page).click();
}

/** Starts a DM from the people picker, as a user does: New conversation, pick the person, Start. */
async function startDirect(page: Page, name: string): Promise<void> {
  await openPanel(page);
  await page.locator('parley-chat button[aria-label="New conversation"]').first().click();
  await page.locator('parley-chat .person', { hasText: name }).click();
  await page.locator('parley-chat button', { hasText: 'Start conversation' }).click();
  await page.locator('parley-chat textarea').waitFor();
}

describe.runIf(browserAvailable)('first contact in a direct message', () => {
  let raj: Page;
  let olivia: Page;

  const demo = useDemoBrowser();

  beforeAll(async () => {
    [raj, olivia] = await Promise.all([
      demo.openAs('raj', '/demo.html'),
      demo.openAs('olivia', '/demo.html'),
    ]);
  }, TEST_TIMEOUT);

  it(
    'the other side sees the DM with its first message, and both see each other online in the list and header',
    async () => {
      await Promise.all([synced(raj), synced(olivia)]);
      await startDirect(raj, 'Olivia Chen');
      await expect.poll(() => header(raj).textContent()).toContain('Online');
      await expect.poll(() => header(raj).locator('.presence').getAttribute('class')).toContain('online');
      const before = await badgeCount(olivia);
      // Opened and not written in: nothing shows on the other side, not even while he types.
      await raj.locator('parley-chat textarea').fill('Hello');
      await openPanel(olivia);
      await raj.waitForTimeout(500);
      expect(await listEntry(olivia, 'Raj Patel').count()).toBe(0);
      await launcher(olivia).click();

      const text = `Hello Olivia ${run}`;
      await send(raj, text);
      await expect.poll(() => badgeCount(olivia)).toBe(before + 1);
      await openPanel(olivia);
      await expect.poll(() => listEntry(olivia, 'Raj Patel').textContent()).toContain(text);
      await expect.poll(() => listDot(olivia, 'Raj Patel').getAttribute('class')).toContain('online');
      await listEntry(olivia, 'Raj Patel').click();
      await expect.poll(() => header(olivia).textContent()).toContain('Online');
      await expect.poll(() => header(olivia).locator('.presence').getAttribute('class')).toContain('online');
      await expect.poll(() => bubbles(olivia, text).count()).toBe(1);

      await raj.locator('parley-chat button.back').first().click();
      await expect.poll(() => listDot(raj, 'Olivia Chen').getAttribute('class')).toContain('online');
    },
    TEST_TIMEOUT,
  );

  it.each(LOOKS)(
    'a message written offline says it is not sent yet and when it was written, then when it was sent too ($name)',
    async ({ name, options }) => {
      // The author's clock runs ten minutes behind: what it calls "now" is when the message was written.
      const context = await demo.browser.newContext({ ...options, baseURL: demo.server.url });
      try {
        await context.addInitScript(
          (value) => sessionStorage.setItem('parley-demo-token', value),
          await demo.tokenFor('raj'),
        );
        const page = await context.newPage();
        await page.clock.install({ time: Date.now() - 10 * 60_000 });
        await page.goto('/demo.html');
        // Opened and left open: on a phone the panel covers the launcher.
        await launcher(page).click();
        await expect.poll(() => page.locator('parley-chat .status').textContent()).toBe('Connected');
        await openConversation(page, 'Olivia Chen');

        await context.setOffline(true);
        const text = `Written on the train ${name} ${run}`;
        await send(page, text);
        const mine = page.locator('parley-chat .message.mine', { hasText: text });
        await expect
          .poll(() => mine.locator('.message-status').textContent())
          .toMatch(/^Not sent yet · written \d/);
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, `first-contact-written-offline-${name}`);

        await context.setOffline(false);
        await expect
          .poll(() => page.locator('parley-chat .message.pending').count(), { timeout: 20_000 })
          .toBe(0);
        // On its time, or on its bubble when it continues a group of the author's messages.
        const title = await mine
          .locator('time, .bubble')
          .and(mine.locator('[title^="Sent "]'))
          .getAttribute('title');
        expect(title).toMatch(/^Sent \d.* · written \d/);
        expect(await mine.locator('.visually-hidden', { hasText: 'written' }).textContent()).toBe(title);
        // The other side sees it where the stream put it, at the time it was sent.
        await bubbles(olivia, text).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, `first-contact-sent-late-${name}`);
      } finally {
        await context.close();
      }
    },
    TEST_TIMEOUT,
  );
});
