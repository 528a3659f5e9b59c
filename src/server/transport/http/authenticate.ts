// Authenticates every request of the routes it guards from `Authorization: Bearer <token>`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '../../../protocol/errors.ts';
import type { User } from '../../../protocol/models.ts';
import type { Identity } from '../../domain/identity/identity.ts';

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
    request.user = await identity.authenticate(bearerToken(request.headers.authorization));
  });
}

/** The authenticated user of a guarded route. */
export function userOf(request: FastifyRequest): User {
  if (!request.user) throw new ParleyError('unauthorized', 'not authenticated');
  return request.user;
}
