// Authenticates every request of the routes it guards from `Authorization: Bearer <token>`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '../../../protocol/errors.ts';
import type { User } from '../../../protocol/models.ts';
import type { Identity } from '../../domain/identity/identity.ts';
import type { RateLimits } from '../../domain/limits/rate-limits.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** Adds the guard to the (encapsulated) Fastify context it is called on. */
export function requireUser(app: FastifyInstance, identity: Identity): void {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    request.user = (await identity.authenticate(bearerToken(request.headers.authorization))).user;
  });
}

/** Counts every write (POST, PATCH, DELETE) against the user's allowance. */
export function limitWrites(app: FastifyInstance, rateLimits: RateLimits): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || !request.user) return;
    try {
      await rateLimits.consume('write', request.user.id);
    } catch (error) {
      if (error instanceof ParleyError && error.details.retryAfterMs !== undefined) {
        reply.header('retry-after', Math.ceil(error.details.retryAfterMs / 1000));
      }
      throw error;
    }
  });
}

/** The authenticated user of a guarded route. */
export function userOf(request: FastifyRequest): User {
  if (!request.user) throw new ParleyError('unauthorized', 'not authenticated');
  return request.user;
}
