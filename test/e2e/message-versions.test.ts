// A message's earlier versions: its "(edited)" opens them for its author and the company's admins — the
// text now, then each earlier one newest first with when it was written and replaced — and is plain text
// for everyone else. The viewer passes axe in every look.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { hasFocus, message } from '../helpers/message-browser.ts';
import {
  axeViolations,
  conversationNamed,
  type DemoBrowser,
  LOOKS,
  openConversation,
  BROWSER_TEST_TIMEOUT as TEST_TIMEOUT,
  useDemoBrowser,
} from '../helpers/widget-browser.ts';

const run = Math.random().toString(36).slice(2, 8);

/** Sends `bodies[0]` as a demo user over the API, then edits it to each of the others in turn. */
async function sendAndEdit(
  demo: DemoBrowser,
  userId: string,
  channel: string,
  bodies: string[],
): Promise<void> {
  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${demo.server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await demo.tokenFor(userId)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
    return (await response.json()) as { message: { id: string } };
  };
  const [first, ...edits] = bodies;
  const { message: sent } = await call('POST', `/api/conversations/${channel}/messages`, {
    clientMsgId: randomUUID(),
    body: first,
  });
  for (const body of edits) await call('PATCH', `/api/messages/${sent.id}`, { body });
}

const edited = (page: Page, text: string) => message(page, text).locator('.edited');
const viewer = (page: Page) => page.locator('parley-chat dialog.versions');

describe.runIf(browserAvailable)('earlier versions of a message', () => {
  const demo = useDemoBrowser();
  const texts = [`Dock 3 ${run}`, `Dock 4 ${run}`, `Dock 5 ${run}`];
  const byRaj = [`Two pallets ${run}`, `Three pallets ${run}`];

  it(
    'its author sees each earlier text with when it was written and replaced, newest first',
    async () => {
      const channel = await conversationNamed(demo, 'ana', 'oracare-team');
      await sendAndEdit(demo, 'ana', channel, texts);
      const ana = await demo.openAs('ana', '/demo.html');
      await openConversation(ana, '#oracare-team');
      const mark = edited(ana, texts[2] ?? '');
      await expect.poll(() => mark.textContent()).toBe('(edited)');
      expect(await mark.getAttribute('aria-haspopup')).toBe('dialog');
      await mark.click();

      const entries = viewer(ana).locator('.versions-list li');
      await expect.poll(() => entries.count()).toBe(3);
      expect(await entries.locator('.version-time').allTextContents()).toEqual([
        'Now',
        expect.stringMatching(/^Written .+ · replaced .+$/),
        expect.stringMatching(/^Written .+ · replaced .+$/),
      ]);
      expect(await entries.locator('p:not(.version-time)').allTextContents()).toEqual([...texts].reverse());
      await ana.keyboard.press('Escape');
      await expect.poll(() => viewer(ana).count()).toBe(0);
      expect(await ana.locator('parley-chat .panel').count()).toBe(1);
      await expect.poll(() => mark.evaluate(hasFocus)).toBe(true);
    },
    TEST_TIMEOUT,
  );

  it(
    'an admin of the company may read anyone’s; a client or a colleague sees only that it was edited',
    async () => {
      const channel = await conversationNamed(demo, 'raj', 'oracare-team');
      await sendAndEdit(demo, 'raj', channel, byRaj);
      const [ana, olivia, sam] = await Promise.all([
        demo.openAs('ana', '/demo.html'),
        demo.openAs('olivia', '/demo.html'),
        demo.openAs('sam', '/demo.html'),
      ]);
      for (const page of [ana, olivia, sam]) await openConversation(page, '#oracare-team');
      const latest = byRaj[1] ?? '';
      for (const page of [olivia, sam]) {
        await expect.poll(() => edited(page, latest).textContent()).toBe('(edited)');
        expect(await edited(page, latest).evaluate((mark) => mark.tagName)).toBe('SPAN');
      }
      await edited(ana, latest).click();
      const entries = viewer(ana).locator('.versions-list li p:not(.version-time)');
      await expect.poll(() => entries.allTextContents()).toEqual([...byRaj].reverse());
    },
    TEST_TIMEOUT,
  );

  for (const look of LOOKS) {
    it(
      `the ${look.name} viewer passes axe`,
      async () => {
        const page = await demo.openAs('ana', '/demo.html', look.options);
        await openConversation(page, '#oracare-team');
        await edited(page, texts[2] ?? '').click();
        await expect.poll(() => viewer(page).locator('.versions-list li').count()).toBe(3);
        const found = await axeViolations(page);
        expect(found, found.join('\n')).toEqual([]);
      },
      TEST_TIMEOUT,
    );
  }
});
