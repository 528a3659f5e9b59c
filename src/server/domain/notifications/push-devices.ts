// A user's push devices, as the push routes manage them: subscribing a browser, listing and revoking the
// user's devices, and a test notification to all of them.
import { ECDH } from 'node:crypto';
import { ParleyError } from '../../../protocol/errors.ts';
import type { User } from '../../../protocol/models.ts';
import type { PushDevice, PushTestResponse, SubscribePushRequest } from '../../../protocol/push.ts';
import type { Database } from '../../store/db.ts';
import {
  deletePushSubscription,
  listPushSubscriptions,
  type PushSubscriptionRow,
  savePushSubscription,
  trimPushSubscriptions,
} from '../../store/push-subscriptions.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import type { Destinations } from '../outbound/destinations.ts';
import type { PushSender } from './push.ts';

/**
 * Devices kept per user; subscribing one more forgets the oldest. Browsers make a new subscription now and
 * then without saying the old one is gone, and every push is a request to each device's push service.
 */
export const MAX_PUSH_DEVICES_PER_USER = 20;
const MAX_USER_AGENT_CHARS = 300;

export interface PushDevicesDeps {
  db: Database;
  sender: PushSender;
  destinations: Pick<Destinations, 'admit'>;
  rateLimits: RateLimits;
  publicKey: string;
  newId: () => string;
}

const toDevice = (row: PushSubscriptionRow): PushDevice => ({
  id: row.id,
  label: row.label,
  userAgent: row.userAgent,
  service: new URL(row.endpoint).host,
  createdAt: row.createdAt,
  lastSuccessAt: row.lastSuccessAt,
  lastFailureAt: row.lastFailureAt,
  failures: row.failures,
});

/** The schema checked the key's form; only the curve can tell whether it is a point of it. */
function checkBrowserKey(p256dh: string): void {
  try {
    ECDH.convertKey(Buffer.from(p256dh, 'base64url'), 'prime256v1');
  } catch {
    // convertKey throws for bytes that are no point of the curve: the answer, reported as bad input.
    const issue = { path: 'subscription.keys.p256dh', message: 'not a point of the P-256 curve' };
    throw new ParleyError('invalid_payload', `invalid request: ${issue.path}: ${issue.message}`, {
      issues: [issue],
    });
  }
}

export function createPushDevices({
  db,
  sender,
  destinations,
  rateLimits,
  publicKey,
  newId,
}: PushDevicesDeps) {
  return {
    publicKey: () => publicKey,

    /** Stores the browser's subscription for the user; `created` is false when the user had it already. */
    async subscribe(
      user: User,
      request: SubscribePushRequest,
      userAgent: string | undefined,
    ): Promise<{ device: PushDevice; created: boolean }> {
      const { endpoint, keys } = request.subscription;
      checkBrowserKey(keys.p256dh);
      // Any user may name an endpoint: it must be somewhere Parley may send, like a webhook's URL.
      await destinations.admit(new URL(endpoint));
      const saved = await db.transaction(async (tx) => {
        const result = await savePushSubscription(tx, {
          id: newId(),
          userId: user.id,
          endpoint,
          p256dh: keys.p256dh,
          auth: keys.auth,
          label: request.label ?? null,
          userAgent: userAgent?.slice(0, MAX_USER_AGENT_CHARS) || null,
        });
        await trimPushSubscriptions(tx, user.id, MAX_PUSH_DEVICES_PER_USER);
        return result;
      });
      return { device: toDevice(saved.subscription), created: saved.created };
    },

    async list(user: User): Promise<PushDevice[]> {
      return (await listPushSubscriptions(db, user.id)).map(toDevice);
    },

    async revoke(user: User, deviceId: string): Promise<void> {
      if (!(await deletePushSubscription(db, user.id, deviceId))) {
        throw new ParleyError('not_found', 'no such push device');
      }
    },

    /** A notification to every device of the user, to see that push works; limited per hour. */
    async test(user: User): Promise<PushTestResponse> {
      await rateLimits.consume('test-notification', user.id);
      return sender.send(user.id, {
        tag: 'parley-test',
        title: 'Parley',
        body: 'Notifications work on this device.',
        // The app itself: the service worker resolves it against its scope, wherever Parley is served.
        url: './',
        conversationId: '',
        renotify: true,
      });
    },
  };
}

export type PushDevices = ReturnType<typeof createPushDevices>;
