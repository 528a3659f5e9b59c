// Web push in a real Chromium without a real push service: what the page's service worker shows, a push
// delivered to it through DevTools as a push service would, and a PushManager that hands out the push
// service double's subscription (test/helpers/push-service.ts).
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, expect } from 'vitest';
import type { PushSubscriptionJson } from '../../src/protocol/push.ts';
import { type PushService, startPushService } from './push-service.ts';

export interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  data: { url: string; conversationId: string };
}

/** The notifications the page's service worker shows now. */
export const shownNotifications = (page: Page) =>
  page.evaluate(async () =>
    (await (await navigator.serviceWorker.ready).getNotifications()).map((notification) => ({
      title: notification.title,
      body: notification.body,
      tag: notification.tag,
      data: notification.data,
    })),
  ) as Promise<ShownNotification[]>;

/** Pushes `data` to the page's service worker as its push service would, through DevTools. */
export async function deliverPush(page: Page, data: string): Promise<void> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  const registrationId = new Promise<string>((resolve) =>
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((registration) => registration.scopeURL === `${origin}/`);
      if (ours && !ours.isDeleted) resolve(ours.registrationId);
    }),
  );
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: await registrationId, data });
  await cdp.detach();
}

/**
 * Stands in for the browser's push service registration: `subscribe` answers the double's subscription and
 * records the key it was asked to subscribe with; asking for permission is counted.
 */
export function fakePushManager(subscription: PushSubscriptionJson) {
  const state = window as unknown as { subscribedWith?: string; permissionAsked: number };
  state.permissionAsked = 0;
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = () => {
    state.permissionAsked += 1;
    return ask();
  };
  let current: object | null = null;
  PushManager.prototype.getSubscription = async () => current as PushSubscription | null;
  PushManager.prototype.subscribe = async (options) => {
    state.subscribedWith = String(options?.applicationServerKey);
    current = {
      endpoint: subscription.endpoint,
      options: { applicationServerKey: null, userVisibleOnly: true },
      toJSON: () => subscription,
      unsubscribe: async () => {
        current = null;
        return true;
      },
    };
    return current as PushSubscription;
  };
}

/**
 * The push service double for a browser test file: started now, and closed after the file's tests, which
 * fail if it refused any push (a wrong signature or encryption).
 */
export async function pushServiceForFile(): Promise<PushService> {
  const service = await startPushService();
  afterAll(async () => {
    expect(service.rejected).toEqual([]);
    await service.close();
  });
  return service;
}
