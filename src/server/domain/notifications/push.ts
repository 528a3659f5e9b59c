// Web push to a user's devices: each subscription gets the notification encrypted to its browser's keys
// (aes128gcm) and signed with Parley's VAPID key, POSTed to its push service only where the destination
// rule admits it. The notification ladder calls `send`; the push routes call it for a test notification.
import { createHash } from 'node:crypto';
import webpush from 'web-push';
import type { PushPayload } from '../../../protocol/push.ts';
import type { Sql } from '../../store/db.ts';
import {
  deleteGonePushSubscription,
  hasPushSubscriptions,
  listPushSubscriptions,
  type PushSubscriptionRow,
  recordPushFailure,
  recordPushSuccess,
} from '../../store/push-subscriptions.ts';
import { checkedPost } from '../outbound/checked-post.ts';
import { DestinationRefused, type Destinations } from '../outbound/destinations.ts';
import type { VapidKeys } from './vapid-keys.ts';

export interface PushNotification {
  tag: string;
  title: string;
  body: string;
  url: string;
  conversationId: string;
  /** alerts again when it replaces a shown notification with the same tag (otherwise the replacement is silent) */
  renotify?: boolean;
}

export interface PushSender {
  /** Sends to every push subscription of the user; drops subscriptions the push service says are gone (404/410); resolves with how many accepted it. Never throws for one failing device (logs it). */
  send(userId: string, notification: PushNotification): Promise<{ delivered: number; failed: number }>;
  /** Whether the user has any subscription at all (the ladder skips the push step otherwise). */
  hasDevices(userId: string): Promise<boolean>;
}

/** How destination refusals name pushes and the variable that admits more push services. */
export const pushRequests = { name: 'push notifications', allowVariable: 'PARLEY_PUSH_ALLOW' };

export interface PushLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface PushSenderDeps {
  db: Sql;
  vapid: VapidKeys & { subject: string };
  destinations: Destinations;
  log: PushLog;
  /** How long one push service may take to answer. */
  timeoutMs?: number;
  /** How long a push service keeps a notification for a device that is offline. */
  ttlSeconds?: number;
  /** Certificate authorities to trust instead of the system's (a push service signed by a private one). */
  ca?: string;
  /** The absolute URL of the icon a notification shows (a host's worker has no Parley icon of its own). */
  iconUrl: () => string;
}

/** Past this, a notification read on a phone hours later is news no more; the email digest has it. */
const DEFAULT_TTL_SECONDS = 6 * 60 * 60;
const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * Push services take about 4 KB of payload; the title and body are cut well short of it, to what a
 * notification shows anyway, whatever the rest of the payload holds.
 */
const MAX_TITLE_CHARS = 120;
const MAX_BODY_CHARS = 600;

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * A push service keeps only the newest waiting push of one Topic for a device that is offline: one per tag,
 * so that a phone coming back online shows the conversation's latest notification, not each one before it.
 * Topics are at most 32 base64url characters.
 */
const topicOf = (tag: string) => createHash('sha256').update(tag).digest('base64url').slice(0, 32);

/** Where the push goes, for logs: the service's host, never the endpoint (a capability URL). */
const serviceOf = (endpoint: string) => new URL(endpoint).host;

type Outcome = 'delivered' | 'gone' | 'failed';

export function createPushSender({
  db,
  vapid,
  destinations,
  log,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  ttlSeconds = DEFAULT_TTL_SECONDS,
  ca,
  iconUrl,
}: PushSenderDeps): PushSender {
  const vapidDetails = { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey };

  async function post(subscription: PushSubscriptionRow, payload: string, topic: string): Promise<number> {
    const request = webpush.generateRequestDetails(
      { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      payload,
      // High: a chat message someone is waiting on wakes a phone from its power saving.
      { vapidDetails, TTL: ttlSeconds, urgency: 'high', topic },
    );
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
    );
    return checkedPost(
      new URL(subscription.endpoint),
      { headers, body: request.body },
      {
        destinations,
        timeoutMs,
        ...(ca ? { ca } : {}),
      },
    );
  }

  async function deliver(
    subscription: PushSubscriptionRow,
    payload: string,
    topic: string,
  ): Promise<Outcome> {
    const context = {
      userId: subscription.userId,
      device: subscription.id,
      service: serviceOf(subscription.endpoint),
    };
    let status: number;
    try {
      status = await post(subscription, payload, topic);
    } catch (error) {
      const reason = error instanceof DestinationRefused ? error.summary : (error as Error).message;
      log.warn({ ...context, reason }, 'push not delivered');
      await recordPushFailure(db, subscription.id);
      return 'failed';
    }
    if (status >= 200 && status < 300) {
      await recordPushSuccess(db, subscription.id);
      return 'delivered';
    }
    // 404 and 410: the browser unsubscribed or the subscription expired; it will never work again.
    if (status === 404 || status === 410) {
      await deleteGonePushSubscription(db, subscription.id, subscription.endpoint);
      log.warn({ ...context, status }, 'push subscription gone: removed');
      return 'gone';
    }
    log.warn({ ...context, status }, 'push refused by the push service');
    await recordPushFailure(db, subscription.id);
    return 'failed';
  }

  return {
    async send(userId, notification) {
      const payload: PushPayload = {
        title: cut(notification.title, MAX_TITLE_CHARS),
        body: cut(notification.body, MAX_BODY_CHARS),
        tag: notification.tag,
        renotify: notification.renotify ?? false,
        url: notification.url,
        conversationId: notification.conversationId,
        icon: iconUrl(),
      };
      const text = JSON.stringify(payload);
      const topic = topicOf(notification.tag);
      const outcomes = await Promise.all(
        (await listPushSubscriptions(db, userId)).map((subscription) =>
          // A store failure while recording one device's answer is that device's failure, not the send's.
          deliver(subscription, text, topic).catch((error: unknown) => {
            log.warn({ userId, device: subscription.id, reason: (error as Error).message }, 'push failed');
            return 'failed' as const;
          }),
        ),
      );
      const delivered = outcomes.filter((outcome) => outcome === 'delivered').length;
      return { delivered, failed: outcomes.length - delivered };
    },

    hasDevices: (userId) => hasPushSubscriptions(db, userId),
  };
}
