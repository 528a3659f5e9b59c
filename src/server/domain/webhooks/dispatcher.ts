// Outgoing webhooks: after each committed message, one delivery row per subscribed webhook; a worker
// loop on every node claims due rows and POSTs them, retrying with backoff (docs/webhooks.md).

import type { WebhookDeliveryBody, WebhookEventData } from '../../../protocol/webhooks.ts';
import type { Database } from '../../store/db.ts';
import {
  type ClaimedDelivery,
  claimDueDeliveries,
  type EnabledWebhook,
  enqueueDeliveries,
  findWebhookConversation,
  listEnabledWebhooks,
  recordDeliveryAttempt,
} from '../../store/webhooks.ts';
import type { DomainEvent, DomainEvents } from '../events/domain-events.ts';
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
  options?: Partial<WebhookDispatcherOptions>;
  fetch?: typeof fetch;
  clock?: () => Date;
}

/** What each event puts in the delivery's `data`. */

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
  options: overrides = {},
  fetch: fetchDelivery = fetch,
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
  const enqueues = new Set<Promise<void>>();

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

  async function enqueue(event: DomainEvent): Promise<void> {
    await firstLoad;
    const ids = enabled.filter((webhook) => webhook.events.includes(event.type)).map((webhook) => webhook.id);
    if (ids.length === 0) return;
    const conversation = await findWebhookConversation(db, event.message.conversationId);
    if (!conversation) return;
    const data: WebhookEventData['message.created'] = { message: event.message, conversation };
    if ((await enqueueDeliveries(db, ids, event.type, data)) > 0) wake();
  }

  /** The listener: enqueues, and lets `stop` wait for enqueues in progress. Failures go to the events' handler. */
  function onEvent(event: DomainEvent): Promise<void> {
    const enqueued = enqueue(event);
    const forget = () => enqueues.delete(enqueued);
    enqueued.then(forget, forget);
    enqueues.add(enqueued);
    return enqueued;
  }

  async function attempt(delivery: ClaimedDelivery): Promise<void> {
    const result = await postDelivery(
      {
        url: delivery.url,
        secret: delivery.secret,
        deliveryId: String(delivery.id),
        event: delivery.event,
        body: bodyOf(delivery),
        timestamp: Math.floor(clock().getTime() / 1000),
      },
      { fetch: fetchDelivery, timeoutMs: options.timeoutMs, signal: stopping.signal },
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
        setInterval(wake, options.pollIntervalMs),
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
      await Promise.allSettled(enqueues);
      await claiming;
      await Promise.all(attempts);
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
