// Web push from the SDK, a public entry of its own (`parley/client/push`): the server's public key,
// registering a browser's push subscription for the user, the user's devices, revoking one, a test
// notification; and, in browsers, subscribing this browser's service worker (once the user has allowed
// notifications) and unsubscribing it again.
import type {
  PushDevice,
  PushDeviceListResponse,
  PushDeviceResponse,
  PushKeyResponse,
  PushSubscriptionJson,
  PushTestResponse,
} from '../protocol/push.ts';
import { createRestCall, type RestCall } from './rest.ts';

/** Unpadded base64url of a key's bytes: how the server publishes its key. */
function base64url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Its own object rather than a part of the ParleyClient, so that an app that never pushes (the widget)
 * carries none of it: `createPushNotifications(url, getToken)` with the client's url and token.
 */
export class PushNotifications {
  constructor(private readonly rest: RestCall) {}

  /** The server's VAPID public key (unpadded base64url): `applicationServerKey` for `pushManager.subscribe`. */
  async publicKey(): Promise<string> {
    return (await this.rest.json<PushKeyResponse>('GET', '/api/push/key')).publicKey;
  }

  /**
   * Registers a push subscription (`PushSubscription.toJSON()`) for the user; sending it again is harmless,
   * and an endpoint another user had registered moves to this one. `label` names the device in `devices()`.
   */
  async subscribe(subscription: PushSubscriptionJson, label?: string): Promise<PushDevice> {
    const body = { subscription, ...(label ? { label } : {}) };
    return (await this.rest.json<PushDeviceResponse>('POST', '/api/push/devices', body)).device;
  }

  /** The user's devices, newest first. */
  async devices(): Promise<PushDevice[]> {
    return (await this.rest.json<PushDeviceListResponse>('GET', '/api/push/devices')).devices;
  }

  /** Forgets one of the user's devices: nothing is pushed to it any more. */
  async revoke(deviceId: string): Promise<void> {
    await this.rest.call('DELETE', `/api/push/devices/${encodeURIComponent(deviceId)}`);
  }

  /** A test notification to every device of the user; says how many push services took it. */
  test(): Promise<PushTestResponse> {
    return this.rest.json<PushTestResponse>('POST', '/api/push/test');
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

/** Web push for the user `getToken` speaks for, at Parley's base `url` (as the ParleyClient's options). */
export function createPushNotifications(url: string, getToken: () => Promise<string>): PushNotifications {
  return new PushNotifications(createRestCall(url, getToken));
}
