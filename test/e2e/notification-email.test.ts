// The digest as a mail client shows it: the HTML part of a real digest (a real server, a real SMTP server)
// rendered in Chromium — readable, its hostile text still text, no script in it, its links where they
// should go, no accessibility violation — and the screenshot docs/notifications.md shows.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axiom, knownPerson, northwind } from '../helpers/access.ts';
import { browserAvailable, launchBrowser } from '../helpers/browser.ts';
import { openDirectBoth, postMessage } from '../helpers/conversations.ts';
import {
  emailDueNow,
  eventually,
  type NotifyingServer,
  startNotifyingServer,
} from '../helpers/notifying-server.ts';
import { axeViolations, BROWSER_TEST_TIMEOUT, DESKTOP, screenshot } from '../helpers/widget-browser.ts';

const LINK = 'https://dash.example.test/orders?chat={conversationId}';

describe.runIf(browserAvailable)('the email digest in a browser', () => {
  let notifying: NotifyingServer;
  let browser: Browser;

  beforeAll(async () => {
    [notifying, browser] = await Promise.all([
      startNotifyingServer('pglite', { env: { PARLEY_LINK_TEMPLATE: LINK } }),
      launchBrowser(),
    ]);
  }, BROWSER_TEST_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await notifying?.close();
  });

  it(
    'renders the new messages with their senders, escaped, and links that open the conversation',
    async () => {
      const { url, server, smtp } = notifying;
      const ana = await knownPerson(url, 'ana', {
        ...axiom,
        displayName: 'Ana Lima',
        orgName: 'Axiom Fulfillment',
      });
      const olivia = await knownPerson(url, 'olivia', {
        ...northwind,
        displayName: 'Olivia Chen',
        orgName: 'Northwind Manufacturing',
      });
      const dm = await openDirectBoth(url, ana, olivia);
      await postMessage(url, ana, dm.id, 'Order #1234 is packed: 12 cartons on 2 pallets.');
      await postMessage(
        url,
        ana,
        dm.id,
        'Can your truck take it at 4 pm? <b>Dock 3</b>, gate code on the slip.',
      );
      await emailDueNow(server, olivia.id, dm.id);
      const mail = await eventually('the digest', async () =>
        smtp.mails.received.find((received) => received.to.includes(`${olivia.id}@example.test`)),
      );
      const context = await browser.newContext(DESKTOP);
      const page = await context.newPage();
      await page.setContent(mail.parsed.html || '', { waitUntil: 'load' });
      expect(await page.evaluate(() => document.scripts.length)).toBe(0);
      expect(await page.locator('b').count()).toBe(0);
      await expect.poll(() => page.getByText('<b>Dock 3</b>', { exact: false }).count()).toBe(1);
      const open = page.getByRole('link', { name: 'Open the conversation' });
      expect(await open.getAttribute('href')).toBe(LINK.replace('{conversationId}', dm.id));
      const unsubscribe = await page
        .getByRole('link', { name: 'Stop emails about this conversation' })
        .getAttribute('href');
      expect(unsubscribe).toMatch(/\/unsubscribe\?token=u1\./);
      expect(await axeViolations(page, 'page')).toEqual([]);
      await screenshot(page, 'notification-email');
      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
