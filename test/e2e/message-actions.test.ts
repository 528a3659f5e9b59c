// Acting on messages in a real browser, two people of different organisations on two pages: reactions, replies,
// edits and deletes reach the other side live; @-mentions offer only the conversation's readers and highlight
// the one mentioned; a thread opens at its new-messages divider and counts what arrives while the user reads
// back; a link to a message opens the thread at it; an image attached shows on both sides and opens in a
// lightbox. Every state passes axe in light, dark, desktop and mobile.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pngImage } from '../helpers/attachments.ts';
import { browserAvailable } from '../helpers/browser.ts';
import { composer, directConversation, menuItem, message, openActions } from '../helpers/message-browser.ts';
import {
  axeViolations,
  bubbles,
  conversationNamed,
  LOOKS,
  launcher,
  openConversation,
  screenshot,
  send,
  sendAs,
  BROWSER_TEST_TIMEOUT as TEST_TIMEOUT,
  useDemoBrowser,
} from '../helpers/widget-browser.ts';

const run = Math.random().toString(36).slice(2, 8);

const chip = (page: Page, text: string, emoji: string) =>
  message(page, text).locator('.reaction', { hasText: emoji });

async function expectNoAxeViolations(page: Page, state: string): Promise<string[]> {
  return (await axeViolations(page)).map((violation) => `${state}: ${violation}`);
}

describe.runIf(browserAvailable)('acting on messages', () => {
  const demo = useDemoBrowser();
  let ana: Page;
  let olivia: Page;

  beforeAll(async () => {
    [ana, olivia] = await Promise.all([
      demo.openAs('ana', '/demo.html'),
      demo.openAs('olivia', '/demo.html'),
    ]);
    await openConversation(ana, 'Olivia Chen');
    await openConversation(olivia, 'Ana Lima');
  }, TEST_TIMEOUT);

  it(
    'a reaction shows on both sides with its count, and pressing the chip again takes it back',
    async () => {
      const text = `Pallets are wrapped ${run}`;
      await send(ana, text);
      await bubbles(olivia, text).waitFor();

      await openActions(olivia, text);
      await menuItem(olivia, '').first().press('Enter');
      for (const page of [ana, olivia])
        await expect.poll(() => chip(page, text, '👍').textContent()).toBe('👍1');
      expect(await chip(olivia, text, '👍').getAttribute('aria-pressed')).toBe('true');
      expect(await chip(ana, text, '👍').getAttribute('aria-pressed')).toBe('false');
      expect(await chip(ana, text, '👍').getAttribute('title')).toBe('Olivia Chen reacted with thumbs up');

      await chip(ana, text, '👍').click();
      await expect.poll(() => chip(olivia, text, '👍').textContent()).toBe('👍2');
      expect(await chip(olivia, text, '👍').getAttribute('title')).toBe(
        'You, Ana Lima reacted with thumbs up',
      );
      await chip(ana, text, '👍').click();
      await expect.poll(() => chip(olivia, text, '👍').textContent()).toBe('👍1');
      expect(await chip(ana, text, '👍').getAttribute('aria-pressed')).toBe('false');

      // The picker finds an emoji by name; the one used comes first next time.
      await openActions(ana, text);
      await menuItem(ana, 'Add reaction').click();
      const search = ana.locator('parley-chat .picker input');
      await expect
        .poll(() => search.evaluate((input) => input === (input.getRootNode() as ShadowRoot).activeElement))
        .toBe(true);
      await search.fill('rock');
      await expect
        .poll(() => ana.locator('parley-chat .picker .emoji').first().getAttribute('aria-label'))
        .toBe('rocket');
      await search.press('Enter');
      await expect.poll(() => chip(olivia, text, '🚀').textContent()).toBe('🚀1');
      await openActions(ana, text);
      expect(await menuItem(ana, '').first().getAttribute('aria-label')).toBe('React with rocket');
      await ana.keyboard.press('Escape');
      await expect.poll(() => ana.locator('parley-chat [role=menu]').count()).toBe(0);
      // Escape closed the menu, not the panel, and focus went back to the button.
      expect(await ana.locator('parley-chat .panel').count()).toBe(1);
      const focused = await message(ana, text)
        .locator('.message-actions-button')
        .evaluate((button) => button === (button.getRootNode() as ShadowRoot).activeElement);
      expect(focused).toBe(true);
    },
    TEST_TIMEOUT,
  );

  it(
    'a reply quotes its original on both sides, and the quote brings the original into view',
    async () => {
      const original = `Which dock for the Friday truck ${run}?`;
      await send(olivia, original);
      await bubbles(ana, original).waitFor();

      await openActions(ana, original);
      await menuItem(ana, 'Reply').click();
      const bar = ana.locator('parley-chat .reply-bar');
      await expect.poll(() => bar.textContent()).toContain('Olivia Chen');
      await composer(ana).press('Escape');
      await expect.poll(() => bar.count()).toBe(0);

      await openActions(ana, original);
      await menuItem(ana, 'Reply').click();
      await send(ana, `Dock 4 ${run}`);
      await expect.poll(() => bar.count()).toBe(0);
      for (const page of [ana, olivia]) {
        const quote = message(page, `Dock 4 ${run}`).locator('.reply-quote');
        await expect.poll(() => quote.textContent()).toContain(original);
      }
      expect(await message(olivia, `Dock 4 ${run}`).locator('.quote-sender').textContent()).toBe('You');

      await message(olivia, `Dock 4 ${run}`).locator('.reply-quote').click();
      const focused = olivia.locator('parley-chat .row.focused .bubble');
      await expect.poll(() => focused.textContent()).toContain(original);
    },
    TEST_TIMEOUT,
  );

  it(
    'an edit shows on both sides with an edited mark, and ↑ in the empty composer edits the last message',
    async () => {
      const text = `ETA is Thursday ${run}`;
      await send(ana, text);
      await bubbles(olivia, text).waitFor();

      await openActions(ana, text);
      await menuItem(ana, 'Edit').click();
      const editor = ana.locator('parley-chat .editor textarea');
      await editor.fill(`ETA is Wednesday ${run}`);
      await editor.press('Enter');
      for (const page of [ana, olivia]) {
        await bubbles(page, `ETA is Wednesday ${run}`).waitFor();
        const mark = message(page, `ETA is Wednesday ${run}`).locator('.edited');
        await expect.poll(() => mark.textContent()).toBe('(edited)');
        expect(await mark.getAttribute('title')).toMatch(/^Edited /);
      }

      await composer(ana).focus();
      await composer(ana).press('ArrowUp');
      await expect.poll(() => editor.inputValue()).toBe(`ETA is Wednesday ${run}`);
      await editor.press('Shift+Enter');
      await editor.press('Escape');
      await expect.poll(() => editor.count()).toBe(0);
      expect(await bubbles(ana, `ETA is Wednesday ${run}`).count()).toBe(1);
      expect(await ana.locator('parley-chat .panel').count()).toBe(1);
    },
    TEST_TIMEOUT,
  );

  it(
    'a delete asks first, then leaves a tombstone on both sides, and replies to it say it is gone',
    async () => {
      const text = `Wrong order number ${run}`;
      await send(ana, text);
      await bubbles(olivia, text).waitFor();
      await openActions(olivia, text);
      await menuItem(olivia, 'Reply').click();
      await send(olivia, `Which one then ${run}?`);
      await message(ana, `Which one then ${run}?`).locator('.reply-quote').waitFor();
      // Olivia may not delete Ana's message: she is not its author nor an internal admin.
      await openActions(olivia, text);
      expect(await menuItem(olivia, 'Delete').count()).toBe(0);
      await olivia.keyboard.press('Escape');

      await openActions(ana, text);
      await menuItem(ana, 'Delete').click();
      const dialog = ana.locator('parley-chat [role=alertdialog]');
      await dialog.waitFor();
      await dialog.locator('button', { hasText: 'Cancel' }).click();
      expect(await bubbles(ana, text).count()).toBe(1);
      await openActions(ana, text);
      await menuItem(ana, 'Delete').click();
      await dialog.locator('button', { hasText: 'Delete' }).click();

      for (const page of [ana, olivia]) {
        const quote = message(page, `Which one then ${run}?`).locator('.reply-quote');
        await expect.poll(() => quote.textContent()).toContain('Original message deleted');
        expect(await bubbles(page, text).count()).toBe(0);
      }
      const tombstone = olivia.locator('parley-chat .message.deleted').last();
      expect(await tombstone.textContent()).toContain('This message was deleted');
      expect(await tombstone.locator('.message-actions-button').count()).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'a link to a message opens the thread there, and copying it says so',
    async () => {
      await openConversation(ana, '#oracare-team');
      const text = `Link to this one ${run}`;
      await send(ana, text);
      await bubbles(ana, text).waitFor();
      await ana
        .context()
        .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.server.url });
      await openActions(ana, text);
      await menuItem(ana, 'Copy link').click();
      await expect
        .poll(() => ana.locator('parley-chat .toast').textContent())
        .toBe('Link to the message copied.');
      const link = await ana.evaluate(() => navigator.clipboard.readText());
      expect(new URL(link).searchParams.get('message')).toMatch(/^\d+$/);
      for (const filler of [1, 2, 3]) await send(ana, `filler ${filler} ${run}`);

      const page = await demo.openAs('olivia', new URL(link).pathname + new URL(link).search);
      const focused = page.locator('parley-chat .row.focused .bubble');
      await expect.poll(() => focused.textContent()).toContain(text);
    },
    TEST_TIMEOUT,
  );

  it(
    '@ offers only the people who can read the conversation, and the one mentioned sees it highlighted',
    async () => {
      await openConversation(ana, '#oracare-team');
      await openConversation(olivia, '#oracare-team');
      const options = ana.locator('parley-chat #parley-mentions [role=option]');
      await composer(ana).pressSequentially('Thanks @o');
      await expect
        .poll(async () => (await options.allTextContents()).sort())
        .toEqual(['Olivia Chen', 'Omar Haddad', 'Sam Okafor']);
      await composer(ana).press('Backspace');
      await composer(ana).pressSequentially('n');
      // Nina and Noah work at Northwind: they cannot read this channel.
      await expect.poll(() => options.count()).toBe(0);
      await composer(ana).press('Backspace');
      await composer(ana).pressSequentially('ol');
      await expect.poll(() => composer(ana).getAttribute('aria-activedescendant')).toBe('parley-mentions-0');
      await composer(ana).press('Enter');
      await composer(ana).pressSequentially(`for the update ${run}`);
      await composer(ana).press('Enter');

      const mention = message(olivia, `for the update ${run}`).locator('.mention.me');
      await expect.poll(() => mention.textContent()).toBe('@Olivia Chen');
      expect(await message(ana, `for the update ${run}`).locator('.mention:not(.me)').textContent()).toBe(
        '@Olivia Chen',
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'a thread opens at a divider above what is new, and counts messages arriving while the user reads back',
    async () => {
      const channel = await conversationNamed(demo, 'ana', 'manufacturer');
      await openConversation(ana, '#manufacturer');
      await bubbles(ana, 'bottle caps are delayed').waitFor();
      await openConversation(ana, 'Olivia Chen');
      for (let n = 1; n <= 30; n += 1)
        await sendAs(demo, 'nina', channel, `Line ${n} of the packing list ${run}`);
      await openConversation(ana, '#manufacturer');
      const divider = ana.locator('parley-chat .unread-divider');
      await expect.poll(() => divider.textContent()).toBe('New messages');
      const next = await ana.locator('parley-chat .row:has(.unread-divider) + .row').textContent();
      expect(next).toContain(`Line 1 of the packing list ${run}`);
      expect(await divider.isVisible()).toBe(true);

      await ana.locator('parley-chat .messages').evaluate((list) => {
        list.scrollTop = 0;
      });
      await sendAs(demo, 'noah', channel, `Caps arrived ${run}`);
      await sendAs(demo, 'noah', channel, `Labels too ${run}`);
      const jump = ana.locator('parley-chat .jump');
      await expect.poll(() => jump.textContent()).toBe('2 new messages');
      await jump.click();
      await expect.poll(() => bubbles(ana, `Labels too ${run}`).isVisible()).toBe(true);
      await expect.poll(() => jump.count()).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'an image attached with the file button shows as a thumbnail on both sides and opens in a lightbox; a disallowed file is refused in place',
    async () => {
      const text = `Photo of pallet 3 ${run}`;
      // The test before leaves Ana in a channel: the photo goes to the DM, opened on both sides.
      for (const [page, title] of [
        [ana, 'Olivia Chen'],
        [olivia, 'Ana Lima'],
      ] as const) {
        const back = page.locator('parley-chat .pane-main .back');
        if (await back.isVisible()) await back.click();
        await directConversation(page, title).click();
        await page.locator('parley-chat textarea').waitFor();
      }
      const picker = ana.locator('parley-chat .composer input[type=file]');
      await picker.setInputFiles({
        name: 'drawing.svg',
        mimeType: 'image/svg+xml',
        buffer: Buffer.from('<svg/>'),
      });
      const refused = ana.locator('parley-chat .uploads li', { hasText: 'drawing.svg' });
      await expect
        .poll(() => refused.locator('.upload-state.failed').textContent())
        .toMatch(/not allowed|type/i);
      await refused.locator('button').click();
      await picker.setInputFiles({
        name: 'pallet-3.png',
        mimeType: 'image/png',
        buffer: await pngImage(640, 480),
      });
      await expect
        .poll(() => ana.locator('parley-chat .uploads li .upload-state').textContent(), { timeout: 15_000 })
        .toBe('');
      await send(ana, text);
      await expect.poll(() => ana.locator('parley-chat .uploads').count(), { timeout: 10_000 }).toBe(0);
      for (const page of [olivia, ana]) {
        const thumbnail = message(page, text).locator('.file-image img');
        await thumbnail.waitFor({ state: 'attached', timeout: 15_000 });
        await expect
          .poll(() => thumbnail.evaluate((image) => (image as HTMLImageElement).naturalWidth), {
            timeout: 10_000,
          })
          .toBeGreaterThan(0);
      }
      await message(olivia, text).locator('.file-image').click();
      const full = olivia.locator('parley-chat dialog.lightbox img');
      await full.waitFor({ state: 'attached', timeout: 15_000 });
      await expect
        .poll(() => full.evaluate((image) => (image as HTMLImageElement).naturalWidth), { timeout: 10_000 })
        .toBe(640);
      expect(await full.getAttribute('alt')).toBe('pallet-3.png');
      expect(await expectNoAxeViolations(olivia, 'lightbox')).toEqual([]);
      await olivia.keyboard.press('Escape');
      await expect.poll(() => olivia.locator('parley-chat dialog.lightbox').count()).toBe(0);
    },
    TEST_TIMEOUT,
  );

  for (const look of LOOKS) {
    it(
      `the ${look.name} thread passes axe with reactions, a reply, an edit, a tombstone, the menu, the picker and the editor`,
      async () => {
        const page = await demo.openAs('ana', '/demo.html', look.options);
        await launcher(page).click();
        await directConversation(page, 'Olivia Chen').click();
        await message(page, `Dock 4 ${run}`).locator('.reply-quote').waitFor();
        await page.locator('parley-chat .message.deleted').first().waitFor();
        const found = await expectNoAxeViolations(page, 'thread');
        if (look.name === 'desktop-light') await screenshot(page, 'message-actions-desktop');
        if (look.name === 'mobile-dark') await screenshot(page, 'message-actions-mobile-dark');

        await openActions(page, `ETA is Wednesday ${run}`);
        found.push(...(await expectNoAxeViolations(page, 'menu')));
        await menuItem(page, 'Add reaction').click();
        await page.locator('parley-chat .picker').waitFor();
        found.push(...(await expectNoAxeViolations(page, 'picker')));
        await page.keyboard.press('Escape');

        await openActions(page, `ETA is Wednesday ${run}`);
        await menuItem(page, 'Edit').click();
        await page.locator('parley-chat .editor').waitFor();
        found.push(...(await expectNoAxeViolations(page, 'editor')));
        await page.keyboard.press('Escape');

        await openActions(page, `ETA is Wednesday ${run}`);
        await menuItem(page, 'Delete').click();
        await page.locator('parley-chat [role=alertdialog]').waitFor();
        found.push(...(await expectNoAxeViolations(page, 'delete dialog')));
        await page.keyboard.press('Escape');
        expect(found, found.join('\n')).toEqual([]);
      },
      TEST_TIMEOUT,
    );
  }
});
