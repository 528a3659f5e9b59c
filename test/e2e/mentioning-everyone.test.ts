// `@channel` and `@here` in the composer: offered with whom they notify to those who may mention everyone
// (a channel member under the channel's rule), not to a viewer nor in a direct conversation; a message
// sent with one mentions every other member, who sees it highlighted. The list passes axe in every look.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { composer, directConversation, message } from '../helpers/message-browser.ts';
import {
  axeViolations,
  conversationNamed,
  LOOKS,
  launcher,
  openConversation,
  BROWSER_TEST_TIMEOUT as TEST_TIMEOUT,
  useDemoBrowser,
} from '../helpers/widget-browser.ts';

const run = Math.random().toString(36).slice(2, 8);
const options = (page: Page) => page.locator('parley-chat #parley-mentions [role=option]');

describe.runIf(browserAvailable)('mentioning everyone', () => {
  const demo = useDemoBrowser();

  it(
    'a member offered @channel with its hint mentions every other member, who sees it highlighted',
    async () => {
      const [ana, olivia] = await Promise.all([
        demo.openAs('ana', '/demo.html'),
        demo.openAs('olivia', '/demo.html'),
      ]);
      for (const page of [ana, olivia]) await openConversation(page, '#oracare-team');
      await composer(ana).pressSequentially('@');
      await expect
        .poll(() => options(ana).allTextContents())
        .toEqual(
          expect.arrayContaining([
            '@channelNotifies all 4 other members',
            '@hereNotifies the others online now',
          ]),
        );
      await composer(ana).pressSequentially('chan');
      await expect
        .poll(() => options(ana).allTextContents())
        .toEqual(['@channelNotifies all 4 other members']);
      await composer(ana).press('Enter');
      expect(await composer(ana).inputValue()).toBe('@channel ');
      await composer(ana).pressSequentially(`the truck is at dock 4 ${run}`);
      await composer(ana).press('Enter');

      const mention = message(olivia, `the truck is at dock 4 ${run}`).locator('.mention.me');
      await expect.poll(() => mention.textContent()).toBe('@channel');
      const channel = await conversationNamed(demo, 'ana', 'oracare-team');
      const response = await fetch(`${demo.server.url}/api/conversations/${channel}/messages?limit=5`, {
        headers: { authorization: `Bearer ${await demo.tokenFor('ana')}` },
      });
      const { messages } = (await response.json()) as { messages: { body: string; mentions: string[] }[] };
      const sent = messages.find((entry) => entry.body.endsWith(run));
      expect(sent?.mentions.sort()).toEqual(['olivia', 'omar', 'raj', 'sam']);
    },
    TEST_TIMEOUT,
  );

  it(
    'a viewer, and anyone in a direct conversation, is offered people only',
    async () => {
      const omar = await demo.openAs('omar', '/demo.html');
      await openConversation(omar, '#oracare-team');
      await composer(omar).pressSequentially('@');
      await expect.poll(() => options(omar).count()).toBeGreaterThan(0);
      expect((await options(omar).allTextContents()).filter((text) => text.startsWith('@'))).toEqual([]);
      await composer(omar).pressSequentially('h');
      await expect.poll(() => options(omar).count()).toBe(0);

      const ana = await demo.openAs('ana', '/demo.html');
      await launcher(ana).click();
      await directConversation(ana, 'Olivia Chen').click();
      await composer(ana).pressSequentially('@');
      await expect.poll(() => options(ana).allTextContents()).toEqual(['Olivia Chen']);
    },
    TEST_TIMEOUT,
  );

  for (const look of LOOKS) {
    it(
      `the ${look.name} list with @channel and @here passes axe`,
      async () => {
        const page = await demo.openAs('ana', '/demo.html', look.options);
        await openConversation(page, '#oracare-team');
        await composer(page).pressSequentially('@');
        await expect.poll(() => options(page).filter({ hasText: '@here' }).count()).toBe(1);
        const found = await axeViolations(page);
        expect(found, found.join('\n')).toEqual([]);
      },
      TEST_TIMEOUT,
    );
  }
});
