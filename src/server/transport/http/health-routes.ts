// Liveness (the process answers) and readiness (it can reach its database and is not shutting down). With
// several nodes, readiness also says whether this one hears the others through Redis — without failing:
// a Redis outage takes every node's link at once, and taking every node out of the balancer would turn a
// delay of cross-node delivery into an outage (alert on `parley_redis_link_up` instead).
import type { FastifyInstance } from 'fastify';
import { type Database, ping } from '../../store/db.ts';

export interface HealthDeps {
  db: Database;
  isShuttingDown: () => boolean;
  nodesLinked: (() => boolean) | null;
}

export function registerHealthRoutes(
  app: FastifyInstance,
  { db, isShuttingDown, nodesLinked }: HealthDeps,
): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    if (isShuttingDown()) {
      return reply.status(503).send({ error: { code: 'not_ready', message: 'shutting down' } });
    }
    try {
      await ping(db);
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check: database unreachable');
      return reply.status(503).send({ error: { code: 'not_ready', message: 'database unreachable' } });
    }
    const nodes = nodesLinked ? { nodes: nodesLinked() ? 'linked' : 'unlinked' } : {};
    return { status: 'ready', database: db.driver, ...nodes };
  });
}
