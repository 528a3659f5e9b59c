// What is measured when Prometheus scrapes rather than as Parley works: connected sockets, the database
// pool, the depth of the durable queues (one cheap query each), and Node's own figures (event-loop lag,
// memory, CPU, garbage collection).
import type { FastifyBaseLogger } from 'fastify';
import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import type { Database } from '../store/db.ts';
import { measureNotificationQueue, measureWebhookQueue, type QueueDepth } from '../store/queue-depths.ts';

export interface ScrapeSources {
  /** Sockets connected to this node now. */
  connectedSockets: () => number;
  db: Database;
  log: FastifyBaseLogger;
  /** Whether this node hears the other nodes through Redis; null on one node without Redis. */
  nodesLinked: (() => boolean) | null;
}

/** A gauge by `state` (pending, due, failing) read with `measure` at each scrape. */
function queueGauge(
  registry: Registry,
  name: string,
  help: string,
  measure: () => Promise<QueueDepth>,
  log: FastifyBaseLogger,
): void {
  new Gauge({
    name,
    help,
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      let depth: QueueDepth;
      try {
        depth = await measure();
      } catch (error) {
        // The rest of the scrape still answers; this gauge keeps its last values.
        log.warn({ err: error, metric: name }, 'cannot measure a queue for metrics');
        return;
      }
      for (const [state, value] of Object.entries(depth)) this.labels(state).set(value);
    },
  });
}

export function registerScrapedGauges(
  registry: Registry,
  { connectedSockets, db, log, nodesLinked }: ScrapeSources,
) {
  collectDefaultMetrics({ register: registry });
  if (nodesLinked) {
    new Gauge({
      name: 'parley_redis_link_up',
      help: 'Whether this node hears the other nodes through Redis now (1) or not (0): alert on 0.',
      registers: [registry],
      collect() {
        this.set(nodesLinked() ? 1 : 0);
      },
    });
  }
  new Gauge({
    name: 'parley_connected_sockets',
    help: 'Sockets connected to this node.',
    registers: [registry],
    collect() {
      this.set(connectedSockets());
    },
  });
  const { poolUsage } = db;
  if (poolUsage) {
    new Gauge({
      name: 'parley_db_pool_connections',
      help: 'PostgreSQL pool connections: open (total), idle, and statements waiting for one (waiting).',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        for (const [state, value] of Object.entries(poolUsage())) this.labels(state).set(value);
      },
    });
  }
  queueGauge(
    registry,
    'parley_webhook_deliveries',
    'Webhook deliveries waiting (pending), due now (due), and whose last attempt failed (failing).',
    () => measureWebhookQueue(db),
    log,
  );
  queueGauge(
    registry,
    'parley_notification_steps',
    'Notification steps (push, email) waiting (pending), due now (due), and whose last attempt failed (failing).',
    () => measureNotificationQueue(db),
    log,
  );
}
