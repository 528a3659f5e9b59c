// Web push from the widget on a host's dashboard, in a real Chromium: the host serves a one-line service
// worker that imports Parley's push worker across origins and names it to the widget; the notification
// settings then offer "Turn on notifications in this browser", which asks for permission only when clicked
// and subscribes this browser through the SDK; the user's devices are listed there with a test push and a
// Remove. A push the server sends reaches the host's worker (through the push service double, which
// decrypts it) and shows with Parley's icon; a click on it opens the conversation in the widget.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
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
  launcher,
  screenshot,
  BROWSER_TEST_TIMEOUT as TEST_TIMEOUT,
  useDemoBrowser,
} from '../helpers/widget-browser.ts';

const service = await pushServiceForFile();

/** A host dashboard on its own origin: the widget's tag naming the host's worker, which imports Parley's. */
async function startHost(
  parleyUrl: string,
  token: () => Promise<string>,
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.url === '/token') {
      token().then((value) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ token: value }));
      });
      return;
    }
    if (request.url === '/parley-sw.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(`importScripts(${JSON.stringify(`${parleyUrl}/push-worker.js`)});\n`);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      '<!doctype html><html lang="en"><title>Orders</title><main><h1>Orders</h1></main>' +
        `<script src="${parleyUrl}/widget.js" data-token-url="/token" data-service-worker="/parley-sw.js" async></script>`,
    );
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A push reaches the worker through DevTools and the browser's notification service: seconds on a busy machine. */
const PUSH_SHOWN = { timeout: 10_000 };

const permissionAsked = (page: Page) =>
  page.evaluate(() => (window as unknown as { permissionAsked: number }).permissionAsked);

async function openPushSettings(page: Page): Promise<void> {
  if ((await launcher(page).getAttribute('aria-expanded')) !== 'true') await launcher(page).click();
  const back = page.locator('parley-chat .pane-main .back');
  if (await back.isVisible()) await back.click();
  await page.getByRole('button', { name: 'Notification settings' }).click();
  await page.getByRole('checkbox', { name: /^Push to the browsers/ }).waitFor();
}

describe.runIf(browserAvailable)('web push from the widget on a host dashboard', () => {
  const demo = useDemoBrowser({ PARLEY_PUSH_ALLOW: '127.0.0.1' }, { pushCa: service.ca });

  it(
    'turns on at a click, lists the devices, sends a test push and opens a clicked notification’s conversation',
    async () => {
      const subscription = service.subscribe();
      const token = await demo.tokenFor('raj');
      const host = await startHost(demo.server.url, async () => token);
      const context = await demo.browser.newContext({ ...DESKTOP, permissions: ['notifications'] });
      await context.addInitScript(fakePushManager, subscription.json);
      const bearer = { headers: { authorization: `Bearer ${token}` } };
      const devicesOfRaj = async () =>
        (await (await fetch(`${demo.server.url}/api/push/devices`, bearer)).json()).devices as {
          id: string;
        }[];
      try {
        const page = await context.newPage();
        await page.goto(`${host.url}/`);
        await launcher(page).waitFor();
        await openPushSettings(page);
        const turnOn = page.getByRole('button', { name: 'Turn on notifications in this browser' });
        await turnOn.waitFor();
        expect(await permissionAsked(page)).toBe(0);
        expect(await axeViolations(page)).toEqual([]);

        await turnOn.click();
        const status = page.locator('parley-chat .push-devices [role="status"]');
        await expect.poll(() => status.textContent()).toBe('Notifications are on in this browser.');
        expect(await permissionAsked(page)).toBe(1);
        expect(await turnOn.count()).toBe(0);
        const device = page.locator('parley-chat .push-devices .devices li');
        await expect.poll(() => device.textContent()).toContain('this browser');
        const { publicKey } = await (await fetch(`${demo.server.url}/api/push/key`, bearer)).json();
        expect(
          await page.evaluate(() => (window as unknown as { subscribedWith: string }).subscribedWith),
        ).toBe(publicKey);
        expect(await devicesOfRaj()).toHaveLength(1);
        // The host's worker, registered at the host's origin, took Parley's push worker across origins.
        expect(
          await page.evaluate(
            async () => (await navigator.serviceWorker.getRegistration('/'))?.active?.scriptURL,
          ),
        ).toBe(`${host.url}/parley-sw.js`);
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, 'widget-push-devices-desktop');

        // The test push goes through the server and the push service to this browser's worker.
        const before = service.pushes.received.length;
        await page.getByRole('button', { name: 'Send a test push' }).click();
        const [test] = (await service.pushes.waitFor(before + 1)).slice(before);
        expect(test?.subscriptionId).toBe(subscription.id);
        expect(test?.payload).toMatchObject({ icon: `${demo.server.url}/icons/icon-192.png` });
        await expect.poll(() => status.textContent()).toBe('Test push sent to 1 device.');
        await deliverPush(page, JSON.stringify(test?.payload));
        await expect
          .poll(
            async () => (await shownNotifications(page)).map(({ title, body }) => ({ title, body })),
            PUSH_SHOWN,
          )
          .toEqual([{ title: 'Parley', body: 'Notifications work on this device.' }]);

        // A conversation's push, linked to this dashboard (PARLEY_LINK_TEMPLATE), clicked: the host's worker
        // finds this page and the widget opens the conversation in it. Headless Chromium cannot click a
        // notification, so the worker hears the click the browser would send it, with the notification shown.
        const [conversation] = (await (await fetch(`${demo.server.url}/api/conversations`, bearer)).json())
          .conversations as { id: string }[];
        const tag = `conversation:${conversation!.id}`;
        await deliverPush(
          page,
          JSON.stringify({
            title: 'Ben in #orders',
            body: 'Is PO-1234 on its way?',
            tag,
            renotify: false,
            url: `${host.url}/?conversation=${conversation!.id}`,
            conversationId: conversation!.id,
          }),
        );
        await expect
          .poll(async () => (await shownNotifications(page)).map((shown) => shown.tag), PUSH_SHOWN)
          .toContain(tag);
        await page.getByRole('button', { name: 'Back' }).click();
        await page.locator('parley-chat .conversation').first().waitFor();
        const worker = context
          .serviceWorkers()
          .find((candidate) => candidate.url() === `${host.url}/parley-sw.js`);
        await worker!.evaluate(async (shownTag) => {
          const scope = self as unknown as {
            registration: ServiceWorkerRegistration;
            dispatchEvent(event: Event): void;
          };
          const [shown] = await scope.registration.getNotifications({ tag: shownTag });
          const NotificationClick = (globalThis as unknown as { NotificationEvent: typeof Event })
            .NotificationEvent;
          scope.dispatchEvent(
            new (NotificationClick as new (type: string, init: object) => Event)('notificationclick', {
              notification: shown,
            }),
          );
        }, tag);
        await page.locator('parley-chat textarea').waitFor();
        await expect
          .poll(async () => (await shownNotifications(page)).map((shown) => shown.tag), PUSH_SHOWN)
          .not.toContain(tag);

        // Removing this browser unsubscribes it and forgets the device: the button offers it again.
        await openPushSettings(page);
        await page.getByRole('button', { name: /^Remove / }).click();
        await turnOn.waitFor();
        expect(await devicesOfRaj()).toEqual([]);
      } finally {
        await context.close();
        await new Promise((closed) => host.server.close(closed));
      }
    },
    TEST_TIMEOUT,
  );
});
