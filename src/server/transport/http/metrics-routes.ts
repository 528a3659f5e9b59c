// `GET /metrics`: the Prometheus text format, behind a bearer token when one is set (config/metrics.ts says
// when one must be). A missing or wrong token is answered 401 `unauthorized`, as every route answers it.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../../../protocol/errors.ts';
import { bearerToken } from './authenticate.ts';

export interface MetricsRouteDeps {
  /** What scrapers must send as `Authorization: Bearer …`; null: no token asked. */
  token: string | null;
  /** The registry: its text format and the content type that announces it. */
  scrape: { contentType: string; metrics(): Promise<string> };
}

/** Compared as digests of equal length, so that the time taken says nothing about the token. */
const digest = (value: string) => createHash('sha256').update(value).digest();

export function registerMetricsRoutes(app: FastifyInstance, { token, scrape }: MetricsRouteDeps): void {
  const expected = token === null ? null : digest(token);
  app.get('/metrics', async (request, reply) => {
    const given = bearerToken(request.headers.authorization);
    if (expected && !(given !== undefined && timingSafeEqual(digest(given), expected))) {
      reply.header('www-authenticate', 'Bearer realm="parley-metrics"');
      throw new ParleyError(
        'unauthorized',
        'metrics need the token: Authorization: Bearer PARLEY_METRICS_TOKEN',
      );
    }
    const body = await scrape.metrics();
    return reply.type(scrape.contentType).send(body);
  });
}
