// Where `/metrics` is served: nowhere when nothing asks for it, on Parley's own port behind the token, or on
// a listener of its own (PARLEY_METRICS_PORT) that only the operator's network reaches.
import Fastify, { type FastifyInstance } from 'fastify';
import type { MetricsSettings } from '../config/metrics.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { registerScrapedGauges, type ScrapeSources } from '../metrics/scraped-gauges.ts';
import { registerErrorHandling } from '../transport/http/errors.ts';
import { registerMetricsRoutes } from '../transport/http/metrics-routes.ts';
import { RequestLog } from '../transport/http/request-log.ts';
import { reachableUrl } from './http-server.ts';

export interface MetricsEndpoint {
  /** Where scrapers fetch the metrics, given where Parley itself listens; null when nowhere. */
  urlOf(serverUrl: string): string | null;
  close(): Promise<void>;
}

const nowhere: MetricsEndpoint = { urlOf: () => null, close: async () => {} };

/** Registers the route on `http` (before it listens), or starts the metrics listener. */
export async function openMetricsEndpoint(
  http: FastifyInstance,
  {
    settings,
    metrics,
    sources,
  }: { settings: MetricsSettings | null; metrics: Metrics; sources: ScrapeSources },
): Promise<MetricsEndpoint> {
  if (!settings) return nowhere;
  registerScrapedGauges(metrics.registry, sources);
  const route = { token: settings.token, scrape: metrics.registry };
  if (!settings.listen) {
    registerMetricsRoutes(http, route);
    return { urlOf: (serverUrl) => `${serverUrl}/metrics`, close: async () => {} };
  }
  // Scrapes are logged as Parley's own requests are: at debug, or when they fail.
  const listener = Fastify({ loggerInstance: sources.log, logController: new RequestLog() });
  registerErrorHandling(listener);
  registerMetricsRoutes(listener, route);
  const address = await listener.listen(settings.listen);
  const url = `${reachableUrl(address)}/metrics`;
  return { urlOf: () => url, close: () => listener.close() };
}
