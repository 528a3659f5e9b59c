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

  const appended = new Counter({
    name: 'parley_messages_appended_total',
    help: 'Messages stored by this node (its rate is messages per second).',
    registers,
  });
  const batchSize = new Histogram({
    name: 'parley_append_batch_messages',
    help: 'Messages per group-commit batch: one statement and one commit each.',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
    registers,
  });
  const fanOut = new Histogram({
    name: 'parley_fanout_seconds',
    help: "From a batch's commit until its last message was handed to the sockets (and Redis), per batch.",
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const shed = new Counter({
    name: 'parley_sends_shed_total',
    help: 'Sends refused as retryable because this node was busy, by reason.',
    labelNames: ['reason'],
    registers,
  });
  const acknowledged = new Histogram({
    name: 'parley_send_ack_seconds',
    help: "From a socket's message:send until its ack, for messages stored.",
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const rateLimited = new Counter({
    name: 'parley_rate_limited_total',
    help: 'Requests and events refused with rate_limited, by limit.',
    labelNames: ['limit'],
    registers,
  });
  const caughtUp = new Histogram({
    name: 'parley_sync_catch_up_messages',
    help: 'Messages one sync (a resume after a reconnect) returned, over all its conversations.',
    buckets: [0, 1, 10, 50, 100, 500, 1000, 5000, 10_000],
    registers,
  });
  const webhookFailures = new Counter({
    name: 'parley_webhook_delivery_failures_total',
    help: 'Webhook delivery attempts that failed: to be retried, or given up (failed for good).',
    labelNames: ['outcome'],
    registers,
  });
  const queries = new Histogram({
    name: 'parley_db_query_seconds',
    help: 'Database statements (query) and whole transactions (transaction), as this node waited for them.',
    labelNames: ['kind'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const statementTimes = queries.labels('query');
  const transactionTimes = queries.labels('transaction');
  // Every series exists from the start: a rate over a label that has never moved is 0, not missing.
  for (const reason of shedReasons) shed.inc({ reason }, 0);
  for (const limit of limitedActions) rateLimited.inc({ limit }, 0);
  for (const outcome of ['retry', 'failed']) webhookFailures.inc({ outcome }, 0);

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
