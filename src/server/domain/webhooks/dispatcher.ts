// Outgoing webhooks: the statement that stores a message also enqueues one delivery row per subscribed
// webhook (store/message-append.ts); a worker loop on every node claims due rows and POSTs them, retrying with
// backoff (docs/webhooks.md). A committed message wakes the loop on its node when a webhook wants it.

import type { Message } from '../../../protocol/models.ts';
import type { WebhookDeliveryBody, WebhookEventData } from '../../../protocol/webhooks.ts';
import type { Database } from '../../store/db.ts';
import { findMessageById } from '../../store/messages.ts';
import {
  type ClaimedDelivery,
  claimDueDeliveries,
  findWebhookConversation,
  recordDeliveryAttempt,
  settleDeliveryPayload,
} from '../../store/webhook-deliveries.ts';
import { type EnabledWebhook, listEnabledWebhooks } from '../../store/webhooks.ts';
import type { DomainEvent, DomainEvents } from '../events/domain-events.ts';
import type { Destinations } from '../outbound/destinations.ts';
import { postDelivery } from './post-delivery.ts';
import { defaultRetryPolicy, nextDeliveryState, type RetryPolicy } from './retry-schedule.ts';

export interface WebhookDispatcherOptions extends RetryPolicy {
  /** How often the worker looks for due deliveries when nothing woke it. */
  pollIntervalMs: number;
  /** How often the list of enabled webhooks is re-read, for webhooks changed on other nodes. */
  refreshIntervalMs: number;
  /** An attempt without a response by then is a failure. */
  timeoutMs: number;
  /** Attempts in flight at once on this node. */
  concurrency: number;
  /** How long a claimed delivery is not due for other workers; must outlast an attempt. */
  claimLeaseMs: number;
}

export const defaultWebhookDispatcherOptions: WebhookDispatcherOptions = {
  ...defaultRetryPolicy,
  pollIntervalMs: 500,
  refreshIntervalMs: 30_000,
  timeoutMs: 10_000,
  concurrency: 10,
  claimLeaseMs: 60_000,
};

export interface WebhookDispatcherDeps {
  db: Database;
  events: DomainEvents;
  /** Failures of the loop itself (database unreachable, …); failed deliveries go to the delivery log. */
  onError: (error: unknown, context: string) => void;
  /** Hears of each failed attempt, whether it will be retried or was the last (metrics). */
  onAttemptFailed?: (gaveUp: boolean) => void;
  options?: Partial<WebhookDispatcherOptions>;
  /** Where deliveries may connect; checked again on every attempt, whatever was checked at registration. */
  destinations: Destinations;
  clock?: () => Date;
}

/**
 * Messages committed on this node that webhooks want, kept for their deliveries' first claim, which
 * usually follows at once; a delivery claimed here for a message of another node (or of before a restart)
 * reads it from the database instead.
 */
const HANDED_MESSAGES_KEPT = 1_000;

function bodyOf(delivery: ClaimedDelivery): string {
  const body: WebhookDeliveryBody = {
    id: String(delivery.id),
    type: delivery.event,
    createdAt: delivery.createdAt.toISOString(),
    data: delivery.payload as WebhookDeliveryBody['data'],
  };
  return JSON.stringify(body);
}

export function createWebhookDispatcher({
  db,
  events,
  onError,
  onAttemptFailed = () => {},
  options: overrides = {},
  destinations,
  clock = () => new Date(),
}: WebhookDispatcherDeps) {
  const options = { ...defaultWebhookDispatcherOptions, ...overrides };
  if (options.claimLeaseMs <= options.timeoutMs) throw new Error('claimLeaseMs must exceed timeoutMs');

  // Read on every message; kept in memory so that a message costs no query when no webhook wants it.
  let enabled: EnabledWebhook[] = [];
  let refreshes = 0;
  let firstLoad: Promise<void> = Promise.resolve();
  let running = false;
  let stopping = new AbortController();
  let timers: NodeJS.Timeout[] = [];
  let unsubscribe = (): void => {};
  let claiming: Promise<void> | null = null;
  let claimAgain = false;
  const attempts = new Set<Promise<void>>();
  const handedMessages = new Map<string, Message>();

  function keepHanded(message: Message): void {
    handedMessages.set(message.id, message);
    // A Map iterates in insertion order: the first key is the oldest.
    for (const oldest of handedMessages.keys()) {
      if (handedMessages.size <= HANDED_MESSAGES_KEPT) break;
      handedMessages.delete(oldest);
    }
  }

  /** Re-reads the enabled webhooks; a failure is reported and the previous list kept. Never rejects. */
  async function refresh(): Promise<void> {
    const generation = ++refreshes;
    try {
      const latest = await listEnabledWebhooks(db);
      // Of two overlapping refreshes, the one started last wins.
      if (generation === refreshes) enabled = latest;
    } catch (error) {
      onError(error, 'reading enabled webhooks failed');
    }
  }

  /** The listener: the delivery rows are already stored with the message; this only delivers them sooner. */
  async function onEvent(event: DomainEvent): Promise<void> {
    await firstLoad;
    if (event.type === 'message.changed') {
      // A deleted message's text must not be sent from here after its deletion.
      if (event.message.change?.type !== 'message.deleted') return;
      handedMessages.delete(event.message.change.messageId);
      if (enabled.some((webhook) => webhook.events.includes('message.deleted'))) wake();
      return;
    }
    if (event.type !== 'message.created') return;
    if (!enabled.some((webhook) => webhook.events.includes(event.type))) return;
    keepHanded(event.message);
    wake();
  }

  /**
   * The body of a delivery enqueued with only its message, built and kept at its first claim; null when
   * there is nothing a webhook may be told (the message or its conversation is gone).
   */
  async function payloadOf(delivery: ClaimedDelivery): Promise<unknown> {
    if (delivery.payload !== null || delivery.messageId === null) return delivery.payload;
    const message =
      handedMessages.get(String(delivery.messageId)) ?? (await findMessageById(db, delivery.messageId));
    const conversation = message && (await findWebhookConversation(db, message.conversationId));
    if (!message || !conversation) return null;
    const data: WebhookEventData[typeof delivery.event] = { message, conversation };
    return settleDeliveryPayload(db, delivery.id, data);
  }

  async function attempt(claimed: ClaimedDelivery): Promise<void> {
    const payload = await payloadOf(claimed);
    if (payload === null) {
      await recordDeliveryAttempt(db, {
        id: claimed.id,
        attempts: claimed.attempts,
        status: 'failed',
        lastStatus: null,
        lastError: 'the message can no longer be described',
        retryInMs: 0,
      });
      onAttemptFailed(true);
      return;
    }
    const delivery = { ...claimed, payload };
    const result = await postDelivery(
      {
        url: delivery.url,
        secret: delivery.secret,
        deliveryId: String(delivery.id),
        event: delivery.event,
        body: bodyOf(delivery),
        timestamp: Math.floor(clock().getTime() / 1000),
      },
      { destinations, timeoutMs: options.timeoutMs, signal: stopping.signal },
    );
    const next = nextDeliveryState(delivery.attempts, result.delivered, options);
    await recordDeliveryAttempt(db, {
      id: delivery.id,
      attempts: delivery.attempts,
      status: next.status,
      lastStatus: result.status,
      lastError: result.delivered ? null : result.error,
      retryInMs: next.retryInMs,
    });
    if (!result.delivered) onAttemptFailed(next.status === 'failed');
  }

  function track(delivery: ClaimedDelivery): void {
    const inFlight = attempt(delivery)
      .catch((error: unknown) => onError(error, `recording webhook delivery ${delivery.id} failed`))
      .finally(() => {
        attempts.delete(inFlight);
        wake();
      });
    attempts.add(inFlight);
  }

  /** Claims as many due deliveries as there are free slots and starts them; does not wait for them. */
  async function claimDue(): Promise<void> {
    while (running) {
      const free = options.concurrency - attempts.size;
      if (free <= 0) return;
      const claimed = await claimDueDeliveries(db, free, options.claimLeaseMs);
      for (const delivery of claimed) track(delivery);
      if (claimed.length < free) return;
    }
  }

  /** Looks for due deliveries now, or right after the look in progress (which may have missed new rows). */
  function wake(): void {
    if (!running) return;
    if (claiming) {
      claimAgain = true;
      return;
    }
    claiming = claimDue()
      .catch((error: unknown) => onError(error, 'claiming webhook deliveries failed'))
      .finally(() => {
        claiming = null;
        if (claimAgain) {
          claimAgain = false;
          wake();
        }
      });
  }

  return {
    refresh,

    /** Subscribes to domain events and starts the worker loop; resolves once the webhook list is loaded. */
    async start(): Promise<void> {
      if (running) return;
      running = true;
      stopping = new AbortController();
      unsubscribe = events.subscribe(onEvent);
      firstLoad = refresh();
      timers = [
        setInterval(() => void refresh(), options.refreshIntervalMs),
        // Retries fall due with time, but only for enabled webhooks: with none, no query runs at all.
        setInterval(() => {
          if (enabled.length > 0) wake();
        }, options.pollIntervalMs),
      ];
      for (const timer of timers) timer.unref();
      await firstLoad;
      wake();
    },

    /**
     * Stops taking events and claiming; attempts in flight are aborted and recorded as failed attempts
     * (retried later, here or on another node). Resolves when nothing is left running.
     */
    async stop(): Promise<void> {
      if (!running) return;
      running = false;
      unsubscribe();
      for (const timer of timers) clearInterval(timer);
      stopping.abort(new Error('interrupted: Parley stopped during the attempt'));
      await claiming;
      await Promise.all(attempts);
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
