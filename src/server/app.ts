// The composition root: builds the store, domain services, fan-out and transports from a Config, starts
// listening, and stops them in order. The only module that knows every part.
import type { FastifyInstance } from 'fastify';
import type { DNSResolver } from 'mailauth';
import { openMigratedDatabase } from './app/database.ts';
import { openDemo } from './app/demo.ts';
import { createDomains } from './app/domains.ts';
import { createHttpServer, maxFrameBytes, reachableUrl, registerHttpRoutes } from './app/http-server.ts';
import { openMetricsEndpoint } from './app/metrics-endpoint.ts';
import { registerPages } from './app/pages.ts';
import type { Config } from './config.ts';
import { loadVapidKeys } from './domain/notifications/vapid-keys.ts';
import { openRedisLink } from './fanout/redis-link.ts';
import { type ParleySocketServer, socketIoFanOut } from './fanout/socket-io-fanout.ts';
import { createMetrics } from './metrics/metrics.ts';
import type { Database } from './store/db.ts';
import { createClientAddresses } from './transport/client-address.ts';
import { createOriginCheck } from './transport/origins.ts';
import { startInboundSmtp } from './transport/smtp/inbound-smtp.ts';
import { attachSocketHandlers, createSocketServer } from './transport/socket/socket-server.ts';

export interface ParleyServer {
  /** Where the server listens, e.g. http://127.0.0.1:3000. */
  url: string;
  http: FastifyInstance;
  io: ParleySocketServer;
  db: Database;
  /** Where Prometheus scrapes this node (PARLEY_METRICS_TOKEN, PARLEY_METRICS_PORT); null when nowhere. */
  metricsUrl: string | null;
  /** Where Parley's SMTP endpoint for email replies listens, when it runs. */
  inboundSmtpPort: number | null;
  /** Stops taking work, lets in-flight requests finish (up to the configured grace), then closes everything. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Where log lines go; standard output by default. */
  logStream?: { write(line: string): void };
  /** How email replies' DKIM, SPF and DMARC records are looked up; the system's DNS by default. */
  resolveDns?: DNSResolver;
  /**
   * PEM certificate authorities that push services' certificates are checked against instead of the
   * system's: for an embedding whose push service is signed by its own authority (a test's, for one).
   */
  pushCa?: string;
}

export async function startParley(config: Config, options: StartOptions = {}): Promise<ParleyServer> {
  // `http` exists by the time anyone connects, which is when this may first warn.
  const clientAddresses = createClientAddresses(config.trustedProxies, (details, message) =>
    http.log.warn(details, message),
  );
  const http = createHttpServer(config, clientAddresses, options.logStream);
  const metrics = createMetrics();
  const db = await openMigratedDatabase(config, http.log, metrics.queryTimings);

  const originAllowed = createOriginCheck(config.allowedOrigins);
  const io = createSocketServer(http.server, { maxFrameBytes: maxFrameBytes(config), originAllowed });
  const link = config.scaleOut.redisUrl
    ? await openRedisLink({
        url: config.scaleOut.redisUrl,
        log: http.log,
        // Broadcasts of the meantime may be missing here: this node's clients reconnect (to any node) and
        // catch up from their cursors, as after a network cut, in fresh rooms.
        onRecovered: () => io.local.disconnectSockets(true),
      })
    : null;
  if (link) io.adapter(link.adapter);
  const vapidKeys = await loadVapidKeys(db, config.push.vapidKeys);
  const domains = createDomains({
    config,
    db,
    fanOut: socketIoFanOut(io),
    log: http.log,
    baseUrl: () => config.publicUrl ?? url,
    resolveDns: options.resolveDns,
    vapidKeys,
    metrics,
    sharedState: link?.client ?? null,
    ...(options.pushCa ? { pushCa: options.pushCa } : {}),
  });
  const { presence, webhookDispatcher, eventLoop, attachmentSweeper, notifications } = domains;

  let shuttingDown = false;
  await registerHttpRoutes(http, {
    config,
    db,
    domains,
    originAllowed,
    isShuttingDown: () => shuttingDown,
    nodesLinked: link ? link.healthy : null,
  });
  const demoOrders = config.demo
    ? await openDemo(http, {
        demo: config.demo,
        db,
        domains,
        parleyUrl: () => url,
        pageUrl: () => config.publicUrl ?? url,
      })
    : null;
  await registerPages(http, config.fullPageApp);
  attachSocketHandlers(io, { ...domains, clientAddress: clientAddresses.of, log: http.log, metrics });
  const metricsEndpoint = await openMetricsEndpoint(http, {
    settings: config.metrics,
    metrics,
    sources: {
      connectedSockets: () => io.of('/').sockets.size,
      db,
      log: http.log,
      nodesLinked: link ? link.healthy : null,
    },
  });

  const address = await http.listen({ port: config.port, host: config.host });
  presence.start();
  await webhookDispatcher.start();
  attachmentSweeper.start();
  notifications.ladder.start();
  const replies = config.notifications.replies;
  const inboundSmtp =
    replies?.smtp && domains.inboundMail
      ? await startInboundSmtp({
          ...replies.smtp,
          maxBytes: replies.maxBytes,
          inbound: domains.inboundMail,
          rateLimits: domains.rateLimits,
          log: http.log,
        })
      : null;
  const url = reachableUrl(address);
  // The demo's order system declares its orders, as a host would, so that `#1234` in a message opens a thread.
  await demoOrders
    ?.declareAll()
    .catch((error: unknown) => http.log.warn({ err: error }, 'demo orders not declared'));

  return {
    url,
    http,
    io,
    db,
    metricsUrl: metricsEndpoint.urlOf(url),
    inboundSmtpPort: inboundSmtp?.port ?? null,
    async close() {
      shuttingDown = true;
      const grace = setTimeout(() => http.server.closeAllConnections(), config.shutdownGraceMs);
      try {
        await inboundSmtp?.close();
        await presence
          .stop()
          .catch((error: unknown) => http.log.warn({ err: error }, 'presence cleanup failed'));
        // Disconnecting sockets first lets clients reconnect to another node while HTTP drains.
        await io.close();
        await http.close();
        await metricsEndpoint.close();
      } finally {
        clearTimeout(grace);
        eventLoop?.stop();
        await webhookDispatcher.stop();
        await attachmentSweeper.stop();
        await notifications.stop();
        await link?.close();
        await db.close();
      }
    },
  };
}
