// Parley's Prometheus metrics: one registry per server, with every metric the code updates as it works
// defined here, and the hooks the domains and transports report through (docs/operations.md#metrics).
// The send path reports once per batch, and per message at most a counter's or a histogram's increment.
import { Counter, Histogram, Registry } from 'prom-client';
import { type LimitedAction, limitedActions } from '../domain/limits/rate-limits.ts';
import { type SendObserver, type ShedReason, shedReasons } from '../domain/messages/append-queue.ts';
import type { QueryTimings } from './timed-database.ts';

/** Seconds, from a tenth of a millisecond (a fan-out) to seconds (a stalled database). */
const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  const histogram = (name: string, help: string, buckets: number[], labelNames: string[] = []) =>
    new Histogram({ name, help, buckets, labelNames, registers });
  /** A counter by one label, each of its values at 0 from the start: a rate over it is 0, not missing. */
  const counterBy = (name: string, help: string, label: string, values: readonly string[]) => {
    const counter = new Counter({ name, help, labelNames: [label], registers });
    for (const value of values) counter.inc({ [label]: value }, 0);
    return counter;
  };

  const appended = new Counter({
    name: 'parley_messages_appended_total',
    help: 'Messages stored by this node (its rate is messages per second).',
    registers,
  });
  const batchSize = histogram(
    'parley_append_batch_messages',
    'Messages per group-commit batch: one statement and one commit each.',
    [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
  );
  const fanOut = histogram(
    'parley_fanout_seconds',
    "From a batch's commit until its last message was handed to the sockets (and Redis), per batch.",
    LATENCY_BUCKETS,
  );
  const shed = counterBy(
    'parley_sends_shed_total',
    'Sends refused as retryable because this node was busy, by reason.',
    'reason',
    shedReasons,
  );
  const acknowledged = histogram(
    'parley_send_ack_seconds',
    "From a socket's message:send until its ack, for messages stored.",
    LATENCY_BUCKETS,
  );
  const rateLimited = counterBy(
    'parley_rate_limited_total',
    'Requests and events refused with rate_limited, by limit.',
    'limit',
    limitedActions,
  );
  const caughtUp = histogram(
    'parley_sync_catch_up_messages',
    'Messages one sync (a resume after a reconnect) returned, over all its conversations.',
    [0, 1, 10, 50, 100, 500, 1000, 5000, 10_000],
  );
  const webhookFailures = counterBy(
    'parley_webhook_delivery_failures_total',
    'Webhook delivery attempts that failed: to be retried, or given up (failed for good).',
    'outcome',
    ['retry', 'failed'],
  );
  const queries = histogram(
    'parley_db_query_seconds',
    'Database statements (query) and whole transactions (transaction), as this node waited for them.',
    LATENCY_BUCKETS,
    ['kind'],
  );
  const statementTimes = queries.labels('query');
  const transactionTimes = queries.labels('transaction');

  const send: SendObserver = {
    batchStored(messages) {
      appended.inc(messages);
      batchSize.observe(messages);
    },
    fannedOut: (seconds) => fanOut.observe(seconds),
    shed: (reason: ShedReason) => shed.labels(reason).inc(),
  };

  return {
    registry,
    send,
    sendAcknowledged: (seconds: number) => acknowledged.observe(seconds),
    rateLimited: (limit: LimitedAction) => rateLimited.labels(limit).inc(),
    caughtUp: (messages: number) => caughtUp.observe(messages),
    webhookAttemptFailed: (gaveUp: boolean) => webhookFailures.labels(gaveUp ? 'failed' : 'retry').inc(),
    queryTimings: {
      statement: (seconds: number) => statementTimes.observe(seconds),
      transaction: (seconds: number) => transactionTimes.observe(seconds),
    } satisfies QueryTimings,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
