// The full-page chat as an installed app in a real Chromium: its manifest and icons make it installable,
// its service worker shows a push as a notification, and "Turn on notifications" asks for permission only
// when clicked, then subscribes through the SDK; the user's devices are listed beside it (removing one
// revokes it), and a test push from there goes through the server to a push service double, which decrypts
// it and hands it to the browser's service worker as a push service would.
// Headless Chromium reaches no real push service, so the page's PushManager hands out the double's
// subscription (keys the test made) instead; everything after it is real.
import type { BrowserContextOptions } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import {
  deliverPush,
  fakePushManager,
  pushServiceForFile,
  shownNotifications,
} from '../helpers/push-browser.ts';
import {
  axeViolations,
  DESKTOP,
  screenshot,
  BROWSER_TEST_TIMEOUT as TEST_TIMEOUT,
  useDemoBrowser,
} from '../helpers/widget-browser.ts';

const service = await pushServiceForFile();

const ALLOWED: BrowserContextOptions = { ...DESKTOP, permissions: ['notifications'] };

describe.runIf(browserAvailable)('the installable full-page chat', () => {
  const demo = useDemoBrowser({ PARLEY_PUSH_ALLOW: '127.0.0.1' }, { pushCa: service.ca });

  it(
    'has a valid manifest whose icons load, and Chromium finds it installable',
    async () => {
      const page = await demo.openAs('ana', '/');
      await page.evaluate(() => navigator.serviceWorker.ready);
      const cdp = await page.context().newCDPSession(page);
      const { errors, data } = await cdp.send('Page.getAppManifest');
      expect(errors).toEqual([]);
      const manifest = JSON.parse(data ?? '{}');
      expect(manifest).toMatchObject({
        name: 'Parley',
        short_name: 'Parley',
        display: 'standalone',
        start_url: './',
      });
      const purposes = manifest.icons.map((icon: { purpose: string }) => icon.purpose);
      expect(purposes).toEqual(expect.arrayContaining(['any', 'maskable']));
      for (const icon of manifest.icons as { src: string; sizes: string; type: string }[]) {
        const response = await page.request.get(new URL(icon.src, `${demo.server.url}/`).href);
        expect(response.status(), icon.src).toBe(200);
        expect(response.headers()['content-type']).toBe(icon.type);
        const { width, height } = await sharp(await response.body()).metadata();
        expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
      }
      // Every Playwright context is incognito, which Chromium never installs from: the one error left.
      await expect
        .poll(async () =>
          (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.map((error) => error.errorId),
        )
        .toEqual(['in-incognito']);
      await cdp.detach();
    },
    TEST_TIMEOUT,
  );

  it(
    'shows a push as a notification from its service worker, replacing one of the same tag',
    async () => {
      const page = await demo.openAs('ana', '/', ALLOWED);
      await page.evaluate(() => navigator.serviceWorker.ready);
      const push = (body: string) =>
        JSON.stringify({
          title: 'Ben in #orders',
          body,
          tag: 'conversation:c-1',
          renotify: false,
          url: './?conversation=c-1',
          conversationId: 'c-1',
        });
      await deliverPush(page, push('Is PO-1234 on its way?'));
      await expect
        .poll(() => shownNotifications(page))
        .toEqual([
          {
            title: 'Ben in #orders',
            body: 'Is PO-1234 on its way?',
            tag: 'conversation:c-1',
            data: { url: `${demo.server.url}/?conversation=c-1`, conversationId: 'c-1' },
          },
        ]);
      await deliverPush(page, push('It left this morning.'));
      await expect
        .poll(async () => (await shownNotifications(page)).map((notification) => notification.body))
        .toEqual(['It left this morning.']);
    },
    TEST_TIMEOUT,
  );

  it(
    'asks for permission only on a click, subscribes through the SDK, and a test notification arrives',
    async () => {
      const browser = service.subscribe();
      const token = await demo.tokenFor('raj');
      const context = await demo.browser.newContext({ ...ALLOWED, baseURL: demo.server.url });
      await context.addInitScript((value) => sessionStorage.setItem('parley-demo-token', value), token);
      await context.addInitScript(fakePushManager, browser.json);
      const page = await context.newPage();
      try {
        await page.goto('/');
        const button = page.getByRole('button', { name: 'Turn on notifications' });
        await button.waitFor();
        expect(
          await page.evaluate(() => (window as unknown as { permissionAsked: number }).permissionAsked),
        ).toBe(0);
        expect(await axeViolations(page, 'page')).toEqual([]);
        await screenshot(page, 'push-turn-on-desktop');

        await button.click();
        // Once on, the button gives way to the user's devices, where the test push is sent.
        const devicesToggle = page.getByText('Notification devices (1)');
        await devicesToggle.click();
        const test = page.getByRole('button', { name: 'Send a test push' });
        await test.waitFor();
        expect(await button.isHidden()).toBe(true);
        expect(await page.locator('.devices-list li').textContent()).toContain('this browser');
        expect(
          await page.evaluate(() => (window as unknown as { permissionAsked: number }).permissionAsked),
        ).toBe(1);
        const publicKey = (
          await (
            await fetch(`${demo.server.url}/api/push/key`, { headers: { authorization: `Bearer ${token}` } })
          ).json()
        ).publicKey;
        expect(
          await page.evaluate(() => (window as unknown as { subscribedWith: string }).subscribedWith),
        ).toBe(publicKey);
        const devices = await fetch(`${demo.server.url}/api/push/devices`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect((await devices.json()).devices).toHaveLength(1);

        const before = service.pushes.received.length;
        await test.click();
        const [received] = (await service.pushes.waitFor(before + 1)).slice(before);
        expect(received?.subscriptionId).toBe(browser.id);
        await deliverPush(page, JSON.stringify(received?.payload));
        await expect
          .poll(async () => (await shownNotifications(page)).map(({ title, body }) => ({ title, body })))
          .toEqual([{ title: 'Parley', body: 'Notifications work on this device.' }]);
        await expect
          .poll(() => page.locator('.devices-status').textContent())
          .toBe('Test push sent to 1 device.');
        expect(await axeViolations(page, 'page')).toEqual([]);
        await screenshot(page, 'push-devices-desktop');

        // Removing this browser unsubscribes it and forgets the device: the button offers to turn them on again.
        await page.getByRole('button', { name: /^Remove / }).click();
        await button.waitFor();
        const after = await fetch(`${demo.server.url}/api/push/devices`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect((await after.json()).devices).toEqual([]);
        expect(await page.locator('#push-devices').isHidden()).toBe(true);
      } finally {
        await context.close();
      }
    },
    TEST_TIMEOUT,
  );
});
