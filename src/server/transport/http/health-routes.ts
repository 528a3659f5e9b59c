// Liveness (the process answers) and readiness (it can reach its database and is not shutting down).
import type { FastifyInstance } from 'fastify';
import { type Database, ping } from '../../store/db.ts';

export interface HealthDeps {
  db: Database;
  isShuttingDown: () => boolean;
}

export function registerHealthRoutes(app: FastifyInstance, { db, isShuttingDown }: HealthDeps): void {
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
    return { status: 'ready', database: db.driver };
  });
}
