// The HTTP server: Fastify with its logger, body and proxy limits, and every route registered with the
// domain services it calls.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyCors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { SYNC_MAX_REQUEST_BYTES } from '../../protocol/sync-limits.ts';
import type { Config } from '../config.ts';
import type { Database } from '../store/db.ts';
import type { ClientAddresses } from '../transport/client-address.ts';
import { registerAdminRoutes } from '../transport/http/admin-routes.ts';
import {
  registerAttachmentDownloadRoutes,
  registerAttachmentRoutes,
} from '../transport/http/attachment-routes.ts';
import { limitRequests, requireUser } from '../transport/http/authenticate.ts';
import { registerChannelRoutes } from '../transport/http/channel-routes.ts';
import { registerConversationRoutes } from '../transport/http/conversation-routes.ts';
import { registerErrorHandling } from '../transport/http/errors.ts';
import { registerHealthRoutes } from '../transport/http/health-routes.ts';
import { registerInboundMailRoutes } from '../transport/http/inbound-mail-routes.ts';
import { registerMessageRoutes } from '../transport/http/message-routes.ts';
import {
  registerNotificationRoutes,
  registerUnsubscribeRoutes,
} from '../transport/http/notification-routes.ts';
import { registerOpenApiRoutes } from '../transport/http/openapi-routes.ts';
import { registerPushRoutes } from '../transport/http/push-routes.ts';
import { registerReadStateRoutes } from '../transport/http/read-state-routes.ts';
import {
  registerRecordApiRoutes,
  registerRecordDossierRoutes,
  registerRecordUserRoutes,
} from '../transport/http/record-routes.ts';
import { describeRequest, RequestLog } from '../transport/http/request-log.ts';
import { registerSearchRoutes } from '../transport/http/search-routes.ts';
import { registerWebhookRoutes } from '../transport/http/webhook-routes.ts';
import { loadWidgetBundle, registerWidgetRoutes } from '../transport/http/widget-routes.ts';
import type { OriginCheck } from '../transport/origins.ts';
import type { Domains } from './domains.ts';
import { type LogStream, logOutput, logRedaction } from './log-output.ts';

const widgetDir = fileURLToPath(new URL('../../../dist/widget/', import.meta.url));

/** Largest request body: the longest allowed message with room for the envelope. */
function maxPayloadBytes(config: Config): number {
  return config.maxMessageLength * 4 + 16 * 1024;
}

/**
 * Largest socket frame: a body's worth, or the longest `sync` request the protocol admits if that is more.
 * Sized to the schema rather than the schema to it: a frame over the limit closes the connection without
 * an answer, while a request over the schema's bound is answered `invalid_payload`.
 */
export function maxFrameBytes(config: Config): number {
  return Math.max(maxPayloadBytes(config), SYNC_MAX_REQUEST_BYTES);
}

export function createHttpServer(
  config: Config,
  clientAddresses: ClientAddresses,
  logStream: LogStream | undefined,
): FastifyInstance {
  const stream = logOutput(config, logStream);
  const http = Fastify({
    logger: {
      level: config.logLevel,
      redact: logRedaction,
      serializers: { req: describeRequest },
      ...(stream ? { stream } : {}),
    },
    logController: new RequestLog(),
    bodyLimit: maxPayloadBytes(config),
    genReqId: () => randomUUID(),
    trustProxy: clientAddresses.trust,
  });
  http.addHook('onRequest', async (request) => clientAddresses.notice(request.raw));
  return http;
}

/** The URL a listen address is reached at from this machine (a wildcard address names no host). */
export function reachableUrl(address: string): string {
  return address.replace('[::]', 'localhost').replace('0.0.0.0', 'localhost');
}

export interface HttpRoutesDeps {
  config: Config;
  db: Database;
  domains: Domains;
  originAllowed: OriginCheck;
  isShuttingDown: () => boolean;
  /** Whether this node hears the other nodes (Redis); null on one node. */
  nodesLinked: (() => boolean) | null;
}

export async function registerHttpRoutes(
  http: FastifyInstance,
  { config, db, domains, originAllowed, isShuttingDown, nodesLinked }: HttpRoutesDeps,
): Promise<void> {
  const { identity, rateLimits, records, apiKeys, dossiers, conversations, messages, directory } = domains;
  registerErrorHandling(http);
  await http.register(fastifyCors, {
    origin: (origin, callback) => callback(null, originAllowed(origin, undefined)),
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    maxAge: 600,
  });
  registerHealthRoutes(http, { db, isShuttingDown, nodesLinked });
  registerOpenApiRoutes(http);
  registerWidgetRoutes(http, loadWidgetBundle(widgetDir));
  const { inboundMail } = domains;
  await http.register(async (hostApi) => {
    registerRecordApiRoutes(hostApi, records, apiKeys);
    registerInboundMailRoutes(hostApi, {
      inbound: inboundMail,
      apiKeys,
      maxBytes: config.notifications.replies?.maxBytes ?? 0,
    });
  });
  await http.register(async (scope) =>
    registerRecordDossierRoutes(scope, { dossiers, apiKeys, identity, rateLimits }),
  );
  await http.register(async (downloads) =>
    registerAttachmentDownloadRoutes(downloads, { attachments: domains.attachments, identity, rateLimits }),
  );
  await http.register(async (links) =>
    registerUnsubscribeRoutes(links, { settings: domains.notifications.settings, rateLimits }),
  );
  await http.register(async (api) => {
    requireUser(api, identity);
    registerRecordUserRoutes(api, records, apiKeys);
    limitRequests(api, rateLimits);
    registerConversationRoutes(api, { conversations, messages, directory });
    registerMessageRoutes(api, messages);
    registerChannelRoutes(api, domains.channelSettings);
    registerReadStateRoutes(api, { readState: domains.readState, presence: domains.presence, directory });
    registerSearchRoutes(api, domains.search);
    registerAdminRoutes(api, domains.administration);
    registerWebhookRoutes(api, domains.webhooks);
    registerNotificationRoutes(api, domains.notifications.settings);
    registerPushRoutes(api, domains.pushDevices);
    registerAttachmentRoutes(api, {
      attachments: domains.attachments,
      maxUploadBytes: config.attachments.maxUploadBytes,
    });
  });
}
