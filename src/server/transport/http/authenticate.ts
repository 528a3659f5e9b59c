// Authenticates every request of the routes it guards from `Authorization: Bearer <token>`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../../../protocol/errors.ts';
import type { User } from '../../../protocol/models.ts';
import type { Identity } from '../../domain/identity/identity.ts';
import type { RateLimits } from '../../domain/limits/rate-limits.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
  }
  interface FastifyContextConfig {
    /** What the route costs of the user's event budget: 1 unless it does the work of many cheap reads. */
    eventPoints?: number;
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

/**
 * Counts one request of the user against their event budget (the one their socket events share) and, for a
 * write, also against their write allowance. Over either: `rate_limited`, answered 429 with Retry-After.
 */
export async function chargeRequest(
  rateLimits: RateLimits,
  reply: FastifyReply,
  charge: { userId: string; points: number; write: boolean },
): Promise<void> {
  try {
    await rateLimits.consume('event', charge.userId, charge.points);
    if (charge.write) await rateLimits.consume('write', charge.userId);
  } catch (error) {
    if (error instanceof ParleyError && error.details.retryAfterMs !== undefined) {
      reply.header('retry-after', Math.ceil(error.details.retryAfterMs / 1000));
    }
    throw error;
  }
}

/** Charges every request of the guarded routes; writes are POST, PATCH and DELETE. */
export function limitRequests(app: FastifyInstance, rateLimits: RateLimits): void {
  app.addHook('preHandler', async (request, reply) => {
    if (!request.user) return;
    await chargeRequest(rateLimits, reply, {
      userId: request.user.id,
      points: request.routeOptions.config.eventPoints ?? 1,
      write: request.method !== 'GET' && request.method !== 'HEAD',
    });
  });
}

/** The authenticated user of a guarded route. */
export function userOf(request: FastifyRequest): User {
  if (!request.user) throw new ParleyError('unauthorized', 'not authenticated');
  return request.user;
}
