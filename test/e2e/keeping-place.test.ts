// Parley keeps a person's place in a real browser: the full-page chat's open conversation is in the URL
// (reload, links, back and forward), the floating widget comes back after a reload to the same user only,
// drafts survive, the tab shows the unread count, search snippets read as text, and nothing is clipped.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import {
  axeViolations,
  chatAboutOrder,
  conversationNamed,
  DESKTOP,
  LOOKS,
  launcher,
  MOBILE,
  openConversation,
  screenshot,
  send,
  sendAs,
  BROWSER_TEST_TIMEOUT as TEST_TIMEOUT,
  useDemoBrowser,
} from '../helpers/widget-browser.ts';

const run = Math.random().toString(36).slice(2, 8);

const threadTitle = (page: Page) => page.locator('parley-chat #parley-thread-title').textContent();
const composer = (page: Page) => page.locator('parley-chat textarea');
const conversationParam = (page: Page) => new URL(page.url()).searchParams.get('conversation');
const notice = (page: Page) => page.locator('parley-chat .pane-main .notice');
const favicon = (page: Page) => page.locator('link[rel="icon"]').getAttribute('href');

async function draftIn(page: Page, title: string, text: string): Promise<void> {
  await openConversation(page, title);
  await expect.poll(() => threadTitle(page)).toContain(title);
  await composer(page).fill(text);
}

describe.runIf(browserAvailable)('Parley keeps a person’s place', () => {
  const demo = useDemoBrowser();

  it(
    'the full page keeps the open conversation in the URL: reload, back and forward, each with its draft',
    async () => {
      const page = await demo.openAs('raj', '/');
      await draftIn(page, '#oracare-team', `half-written ${run}`);
      const team = conversationParam(page);
      expect(team).toBeTruthy();
      await draftIn(page, '#manufacturer', `second thought ${run}`);
      const manufacturer = conversationParam(page);
      expect(manufacturer).toBeTruthy();
      expect(manufacturer).not.toBe(team);

      await page.goBack();
      await expect.poll(() => threadTitle(page)).toContain('#oracare-team');
      expect(conversationParam(page)).toBe(team);
      await expect.poll(() => composer(page).inputValue()).toBe(`half-written ${run}`);
      await page.goForward();
      await expect.poll(() => threadTitle(page)).toContain('#manufacturer');
      await expect.poll(() => composer(page).inputValue()).toBe(`second thought ${run}`);

      await page.reload();
      await expect.poll(() => threadTitle(page)).toContain('#manufacturer');
      expect(conversationParam(page)).toBe(manufacturer);
      await expect.poll(() => composer(page).inputValue()).toBe(`second thought ${run}`);

      // Sent, the draft is gone, after a reload too; the other conversation's draft stays.
      await composer(page).press('Enter');
      await page.locator('parley-chat .bubble', { hasText: `second thought ${run}` }).waitFor();
      expect(await composer(page).inputValue()).toBe('');
      await page.reload();
      await expect.poll(() => threadTitle(page)).toContain('#manufacturer');
      expect(await composer(page).inputValue()).toBe('');
      await page.goBack();
      await expect.poll(() => threadTitle(page)).toContain('#oracare-team');
      await expect.poll(() => composer(page).inputValue()).toBe(`half-written ${run}`);
    },
    TEST_TIMEOUT,
  );

  it(
    'a link opens a record thread, and a link the user cannot open says so and leads back to the list',
    async () => {
      const dashboard = await demo.openAs('ana', '/demo.html');
      await chatAboutOrder(dashboard, '1234');
      const recordThread = await dashboard.evaluate(
        () => new Promise<string | null>((resolve) => window.Parley.on('conversation', resolve)),
      );
      expect(recordThread).toBeTruthy();
      const page = await demo.openAs('ana', `/?conversation=${recordThread}`);
      await expect.poll(() => threadTitle(page)).toContain('Order #1234');

      const internal = await conversationNamed(demo, 'ana', 'internal');
      for (const conversationId of [internal, 'no-such-conversation']) {
        const outsider = await demo.openAs('olivia', `/?conversation=${conversationId}`);
        await expect
          .poll(() => notice(outsider).textContent())
          .toContain('does not exist, or you cannot open it');
        expect(await outsider.locator('parley-chat .bubble').count()).toBe(0);
        await outsider.locator('parley-chat button', { hasText: 'Show all conversations' }).click();
        await expect.poll(() => conversationParam(outsider)).toBeNull();
        await expect.poll(() => outsider.locator('parley-chat .pane-main .pick').count()).toBe(1);
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'the floating widget comes back after a reload with its conversation, its draft and the panel open or closed',
    async () => {
      const page = await demo.openAs('olivia', '/demo.html');
      await draftIn(page, '#oracare-team', `olivia's draft ${run}`);
      await page.reload();
      await expect.poll(() => launcher(page).getAttribute('aria-expanded')).toBe('true');
      await expect.poll(() => threadTitle(page)).toContain('#oracare-team');
      await expect.poll(() => composer(page).inputValue()).toBe(`olivia's draft ${run}`);
      // The host hears which conversation came back.
      const restored = await page.evaluate(
        () => new Promise<string | null>((resolve) => window.Parley.on('conversation', resolve)),
      );
      expect(restored).toBe(await conversationNamed(demo, 'olivia', 'oracare-team'));

      await launcher(page).click();
      await page.reload();
      await page.locator('parley-chat .launcher').waitFor();
      expect(await launcher(page).getAttribute('aria-expanded')).toBe('false');
      expect(await page.locator('parley-chat .panel').count()).toBe(0);
      await launcher(page).click();
      await expect.poll(() => threadTitle(page)).toContain('#oracare-team');

      // Another user in the same browser (the host's session changed): none of Olivia's place or drafts.
      const omarToken = await demo.tokenFor('omar');
      await page.evaluate(
        (token) => window.Parley.init({ server: location.origin, getToken: async () => token }),
        omarToken,
      );
      await page.locator('parley-chat .launcher').waitFor();
      expect(await launcher(page).getAttribute('aria-expanded')).toBe('false');
      await launcher(page).click();
      expect(await page.locator('parley-chat #parley-thread-title').count()).toBe(0);
      await openConversation(page, '#oracare-team');
      expect(await composer(page).inputValue()).toBe('');

      // Logging out forgets the user's drafts and place on this browser.
      await composer(page).fill(`omar's draft ${run}`);
      await page.evaluate(() => window.Parley.logout());
      const stored = await page.evaluate(() => ({
        drafts: localStorage.getItem('parley:drafts:omar'),
        place: sessionStorage.getItem('parley:place:omar'),
        olivia: localStorage.getItem('parley:drafts:olivia'),
      }));
      expect(stored.drafts).toBe('[]');
      expect(stored.place).toBe('{}');
      expect(stored.olivia).toContain(`olivia's draft ${run}`);
    },
    TEST_TIMEOUT,
  );

  it(
    'the tab shows the unread count in its title and favicon, and is plain again when all is read',
    async () => {
      const page = await demo.openAs('sam', '/');
      await page.locator('parley-chat .conversation').first().waitFor();
      await expect.poll(() => page.title()).toMatch(/^\(\d+\) Parley$/);
      const before = Number(/\((\d+)\)/.exec(await page.title())?.[1]);
      expect(await favicon(page)).toContain('circle');

      await sendAs(
        demo,
        'raj',
        await conversationNamed(demo, 'raj', 'manufacturer'),
        `one more for Sam ${run}`,
      );
      await expect.poll(() => page.title()).toBe(`(${before + 1}) Parley`);

      const unread = page.locator('parley-chat .conversation.unread');
      for (let left = await unread.count(); left > 0; left--) {
        await unread.first().click();
        await expect.poll(() => unread.count()).toBe(left - 1);
      }
      await expect.poll(() => page.title()).toBe('Parley');
      expect(await favicon(page)).not.toContain('circle');
      expect(await favicon(page)).toMatch(/^data:image\/svg\+xml,/);
    },
    TEST_TIMEOUT,
  );

  it(
    'search results show the message as it reads, without markdown, with the match marked',
    async () => {
      const page = await demo.openAs('ana', '/');
      await openConversation(page, '#internal');
      await send(page, `**Pallet${run}** \`PLT-77\` is _ready_ for [pickup](https://ups.example/track)`);
      await page.locator('parley-chat .bubble strong', { hasText: `Pallet${run}` }).waitFor();
      await page.locator('parley-chat .search input').fill(`pallet${run}`);
      const hit = page.locator('parley-chat .hit-text').first();
      await expect.poll(() => hit.textContent()).toBe(`Ana Lima: Pallet${run} PLT-77 is ready for pickup`);
      expect(await hit.locator('mark').allTextContents()).toEqual([`Pallet${run}`]);
    },
    TEST_TIMEOUT,
  );

  for (const [name, options] of [
    ['desktop', DESKTOP],
    ['mobile', MOBILE],
  ] as const) {
    it(
      `the search box's placeholder fits, full page and floating (${name})`,
      async () => {
        for (const path of ['/', '/demo.html']) {
          const page = await demo.openAs('ana', path, options);
          if (path === '/demo.html') await launcher(page).click();
          const input = page.locator('parley-chat .search input');
          await input.waitFor();
          const fit = await input.evaluate((element: HTMLInputElement) => {
            const style = getComputedStyle(element);
            const context = document.createElement('canvas').getContext('2d');
            if (!context) throw new Error('no canvas');
            context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const room =
              element.clientWidth -
              Number.parseFloat(style.paddingLeft) -
              Number.parseFloat(style.paddingRight);
            return { text: context.measureText(element.placeholder).width, room };
          });
          expect(fit.text, `${path}: placeholder ${fit.text}px in ${fit.room}px`).toBeLessThanOrEqual(
            fit.room,
          );
        }
      },
      TEST_TIMEOUT,
    );
  }

  for (const look of LOOKS) {
    it(
      `a conversation that cannot be opened, and the list, pass axe (${look.name})`,
      async () => {
        const page = await demo.openAs('olivia', '/?conversation=no-such-conversation', look.options);
        await expect.poll(() => notice(page).textContent()).toContain('cannot open it');
        await screenshot(page, `page-unavailable-${look.name}`);
        const unavailable = await axeViolations(page);
        expect(unavailable, unavailable.join('\n')).toEqual([]);
        await page.locator('parley-chat button', { hasText: 'Show all conversations' }).click();
        await page.locator('parley-chat .search input').waitFor();
        const list = await axeViolations(page);
        expect(list, list.join('\n')).toEqual([]);
      },
      TEST_TIMEOUT,
    );
  }

  it(
    'the full-page chat, for the docs',
    async () => {
      const page = await demo.openAs('ana', '/', { ...DESKTOP, colorScheme: 'light' });
      await openConversation(page, '#oracare-team');
      await page.locator('parley-chat .bubble').first().waitFor();
      await screenshot(page, 'page-desktop-light');
    },
    TEST_TIMEOUT,
  );
});
