// Maps every failure on an HTTP route to `{ error: { code, message } }` with its status, in one place.
import type { FastifyError, FastifyInstance } from 'fastify';
import { type ErrorCode, type ErrorResponse, ParleyError } from '../../../protocol/errors.ts';

/** Fastify's own client errors (bad JSON, wrong content type, oversized body) keep their status. */
function codeForFastifyError(error: FastifyError): ErrorCode | null {
  if (error.statusCode === 413) return 'payload_too_large';
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
    return 'invalid_payload';
  return null;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler<FastifyError | ParleyError>((error, request, reply) => {
    if (error instanceof ParleyError) {
      const response: ErrorResponse = { error: error.toBody() };
      // Shed and rate-limited requests say when to come back the way HTTP clients and proxies read it.
      const { retryAfterMs } = error.details;
      if (retryAfterMs !== undefined)
        reply.header('retry-after', Math.max(1, Math.ceil(retryAfterMs / 1000)));
      return reply.status(error.status).send(response);
    }
    const code = codeForFastifyError(error);
    if (code)
      return reply
        .status(error.statusCode ?? 400)
        .send({ error: { code, message: error.message } } satisfies ErrorResponse);
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .send({ error: { code: 'internal', message: 'internal error' } } satisfies ErrorResponse);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` },
    } satisfies ErrorResponse),
  );
}
