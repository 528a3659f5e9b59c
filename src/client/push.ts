// Web push from the SDK: the server's public key, registering a browser's push subscription for the user,
// the user's devices, revoking one, a test notification; and, in browsers, subscribing this browser's
// service worker (once the user has allowed notifications) and unsubscribing it again.
import type { PushDevice, PushSubscriptionJson, PushTestResponse } from '../protocol/push.ts';
import { createRestClient, type ParleyRest } from './rest.ts';

/** Unpadded base64url of a key's bytes: how the server publishes its key. */
function base64url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export class PushNotifications {
  constructor(
    private readonly rest: Pick<
      ParleyRest,
      'pushKey' | 'subscribePush' | 'pushDevices' | 'revokePushDevice' | 'testPush'
    >,
  ) {}

  /** The server's VAPID public key (unpadded base64url): `applicationServerKey` for `pushManager.subscribe`. */
  publicKey(): Promise<string> {
    return this.rest.pushKey();
  }

  /**
   * Registers a push subscription (`PushSubscription.toJSON()`) for the user; sending it again is harmless,
   * and an endpoint another user had registered moves to this one. `label` names the device in `devices()`.
   */
  subscribe(subscription: PushSubscriptionJson, label?: string): Promise<PushDevice> {
    return this.rest.subscribePush(subscription, label);
  }

  /** The user's devices, newest first. */
  devices(): Promise<PushDevice[]> {
    return this.rest.pushDevices();
  }

  /** Forgets one of the user's devices: nothing is pushed to it any more. */
  revoke(deviceId: string): Promise<void> {
    return this.rest.revokePushDevice(deviceId);
  }

  /** A test notification to every device of the user; says how many push services took it. */
  test(): Promise<PushTestResponse> {
    return this.rest.testPush();
  }

  /**
   * Browsers: subscribes the service worker `registration` to the server's key (replacing a subscription
   * made with another key, which the server could not push to) and registers it. Asks for nothing: call it
   * once `Notification.permission` is `granted`, which only a click on the page may ask for.
   */
  async subscribeBrowser(registration: ServiceWorkerRegistration, label?: string): Promise<PushDevice> {
    const key = await this.publicKey();
    let subscription = await registration.pushManager.getSubscription();
    const subscribedKey = subscription?.options.applicationServerKey;
    if (subscription && (!subscribedKey || base64url(subscribedKey) !== key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ??= await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: key,
    });
    return this.subscribe(subscription.toJSON() as PushSubscriptionJson, label);
  }

  /** Browsers: unsubscribes `registration` at its push service and forgets the device, if it has one. */
  async unsubscribeBrowser(registration: ServiceWorkerRegistration, deviceId?: string): Promise<void> {
    await (await registration.pushManager.getSubscription())?.unsubscribe();
    if (deviceId) await this.revoke(deviceId);
  }
}

/** Push alone, for a page that needs no connection (the full-page chat's notification control). */
export function createPushNotifications(url: string, getToken: () => Promise<string>): PushNotifications {
  return new PushNotifications(createRestClient(url, getToken));
}
