// The composition root: builds the store, domain services, fan-out and transports from a Config and starts
// listening. The only module that knows every part.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyCors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { SYNC_MAX_REQUEST_BYTES } from '../protocol/sync-limits.ts';
import { type Config, ConfigError } from './config.ts';
import { createDemoLogin } from './demo/demo-login.ts';
import { createDemoOrders, type DemoOrders } from './demo/orders.ts';
import { issueDemoHostKey, seedDemo } from './demo/seed.ts';
import { createDirectory } from './domain/access/directory.ts';
import { createMembership } from './domain/access/membership.ts';
import { createAdministration } from './domain/administration/administration.ts';
import { createConversations } from './domain/conversations/conversations.ts';
import { createDomainEvents } from './domain/events/domain-events.ts';
import { createIdentity } from './domain/identity/identity.ts';
import { createClaimsVerifier, createTokenVerifier } from './domain/identity/token-verifier.ts';
import { createConnectionCaps } from './domain/limits/connection-caps.ts';
import { watchEventLoop } from './domain/limits/event-loop-load.ts';
import { memoryRateLimits } from './domain/limits/rate-limits.ts';
import { createMessages } from './domain/messages/messages.ts';
import { createPresence } from './domain/presence/presence.ts';
import { createReadState } from './domain/read-state/read-state.ts';
import { createApiKeys } from './domain/records/api-keys.ts';
import { createDossiers } from './domain/records/dossier.ts';
import { createRecords, recordGrantSchema } from './domain/records/records.ts';
import { createSearch } from './domain/search/search.ts';
import { createSync } from './domain/sync/sync.ts';
import { createTyping } from './domain/typing/typing.ts';
import { createWebhookDestinations } from './domain/webhooks/destinations.ts';
import { createWebhookDispatcher } from './domain/webhooks/dispatcher.ts';
import { createWebhooks } from './domain/webhooks/webhooks.ts';
import { type ParleySocketServer, socketIoFanOut } from './fanout/socket-io-fanout.ts';
import type { Database } from './store/db.ts';
import { listConversationIdsOfUser } from './store/members.ts';
import { migrate } from './store/migrate.ts';
import { openPglite } from './store/pglite.ts';
import { openPostgres } from './store/postgres.ts';
import { sqlPresenceStore } from './store/presence.ts';
import { countHostUsers } from './store/users.ts';
import { createClientAddresses } from './transport/client-address.ts';
import { registerAdminRoutes } from './transport/http/admin-routes.ts';
import { limitRequests, requireUser } from './transport/http/authenticate.ts';
import { registerConversationRoutes } from './transport/http/conversation-routes.ts';
import { registerDemoRoutes } from './transport/http/demo-routes.ts';
import { registerErrorHandling } from './transport/http/errors.ts';
import { registerHealthRoutes } from './transport/http/health-routes.ts';
import { registerReadStateRoutes } from './transport/http/read-state-routes.ts';
import {
  registerRecordApiRoutes,
  registerRecordDossierRoutes,
  registerRecordUserRoutes,
} from './transport/http/record-routes.ts';
import { describeRequest } from './transport/http/request-log.ts';
import { registerSearchRoutes } from './transport/http/search-routes.ts';
import { registerWebhookRoutes } from './transport/http/webhook-routes.ts';
import { loadWidgetBundle, registerWidgetRoutes } from './transport/http/widget-routes.ts';
import { createOriginCheck } from './transport/origins.ts';
import { attachSocketHandlers, createSocketServer } from './transport/socket/socket-server.ts';

const demoPageDir = fileURLToPath(new URL('../../public/', import.meta.url));
const widgetDir = fileURLToPath(new URL('../../dist/widget/', import.meta.url));

export interface ParleyServer {
  /** Where the server listens, e.g. http://127.0.0.1:3000. */
  url: string;
  http: FastifyInstance;
  io: ParleySocketServer;
  db: Database;
  /** Stops taking work, lets in-flight requests finish (up to the configured grace), then closes everything. */
  close(): Promise<void>;
}

/** Largest request body: the longest allowed message with room for the envelope. */
function maxPayloadBytes(config: Config): number {
  return config.maxMessageLength * 4 + 16 * 1024;
}

/**
 * Largest socket frame: a body's worth, or the longest `sync` request the protocol admits if that is more.
 * Sized to the schema rather than the schema to it: a frame over the limit closes the connection without
 * an answer, while a request over the schema's bound is answered `invalid_payload`.
 */
function maxFrameBytes(config: Config): number {
  return Math.max(maxPayloadBytes(config), SYNC_MAX_REQUEST_BYTES);
}

async function openDatabase(config: Config, http: FastifyInstance): Promise<Database> {
  if (config.database.driver === 'pglite') return openPglite(config.database.dataDir);
  return openPostgres(config.database.url, config.database.poolSize, (error) =>
    http.log.warn({ err: error }, 'idle database connection failed'),
  );
}

/**
 * Demo mode chosen only because nothing said "production" must not open its login on real data: a database
 * where anyone signed in with a host token was someone's deployment, whose secret has gone missing.
 */
async function refuseImplicitDemoOnRealData(config: Config, db: Database): Promise<void> {
  if (!config.demo || config.demo.explicit) return;
  const hostUsers = await countHostUsers(db);
  if (hostUsers === 0) return;
  const where = config.database.driver === 'pglite' ? config.database.dataDir : 'the database';
  throw new ConfigError(
    `PARLEY_JWT_SECRET or PARLEY_JWKS_URL: ${where} holds ${hostUsers} users who signed in with host tokens, ` +
      'so this is a deployment, not a demo; set the variable it was started with (or PARLEY_DEMO=1 to open ' +
      'the unauthenticated demo login on it anyway)',
  );
}

export interface StartOptions {
  /** Where log lines go; standard output by default. */
  logStream?: { write(line: string): void };
}

export async function startParley(config: Config, options: StartOptions = {}): Promise<ParleyServer> {
  // `http` exists by the time anyone connects, which is when this may first warn.
  const clientAddresses = createClientAddresses(config.trustedProxies, (details, message) =>
    http.log.warn(details, message),
  );
  const http = Fastify({
    logger: {
      level: config.logLevel,
      // Tokens travel only in headers and the socket handshake; neither ever reaches a log line.
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      serializers: { req: describeRequest },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: maxPayloadBytes(config),
    genReqId: () => randomUUID(),
    trustProxy: clientAddresses.trust,
  });
  http.addHook('onRequest', async (request) => clientAddresses.notice(request.raw));
  const db = await openDatabase(config, http);
  try {
    const applied = await migrate(db);
    if (applied.length > 0) http.log.info({ migrations: applied }, 'database migrated');
    await refuseImplicitDemoOnRealData(config, db);
  } catch (error) {
    await db.close();
    throw error;
  }

  const verifierOptions = { ...config.jwt, demoSecret: config.demo?.secret };
  const originAllowed = createOriginCheck(config.allowedOrigins);
  const io = createSocketServer(http.server, { maxFrameBytes: maxFrameBytes(config), originAllowed });
  const fanOut = socketIoFanOut(io);
  const rateLimits = memoryRateLimits(config.rateLimits);
  const directory = createDirectory(db, config.access);
  const membership = createMembership({ db, fanOut, options: config.access });
  const identity = createIdentity({
    db,
    verifyToken: createTokenVerifier(verifierOptions),
    onAccessChanged: (userId) => membership.reconcileUser(userId),
  });
  const conversations = createConversations({ db, directory, membership, newId: randomUUID });
  const administration = createAdministration({ db, fanOut, directory, membership, conversations });
  const events = createDomainEvents((error, event) =>
    http.log.error({ err: error, event: event.type }, 'event listener failed'),
  );
  const webhookDestinations = createWebhookDestinations({ allow: config.webhookAllow });
  const webhookDispatcher = createWebhookDispatcher({
    db,
    events,
    onError: (error, context) => http.log.error({ err: error }, context),
    destinations: webhookDestinations,
  });
  const webhooks = createWebhooks({
    db,
    directory,
    dispatcher: webhookDispatcher,
    destinations: webhookDestinations,
  });
  const eventLoop =
    config.send.overloadLagMs > 0
      ? watchEventLoop({ maxLagMs: config.send.overloadLagMs, windowMs: 1000 })
      : null;
  const messages = createMessages({
    db,
    fanOut,
    events,
    rateLimits,
    maxMessageLength: config.maxMessageLength,
    appendQueue: {
      maxBatch: config.send.maxBatch,
      maxWaiting: config.send.maxWaiting,
      maxWaitMs: config.send.maxWaitMs,
    },
    ...(eventLoop ? { overloaded: eventLoop.overloaded } : {}),
  });
  const readState = createReadState({ db, fanOut });
  const presence = createPresence({
    store: sqlPresenceStore(db),
    fanOut,
    nodeId: randomUUID(),
    ttlMs: config.presenceTtlMs,
    conversationIdsOf: (userId) => listConversationIdsOfUser(db, userId),
    relayIntervalMs: config.relayIntervals.presenceMs,
    onError: (error) => http.log.error({ err: error }, 'presence heartbeat failed'),
  });

  if (config.demo && (await seedDemo({ db, conversations, messages }))) http.log.info('demo data seeded');

  let shuttingDown = false;
  registerErrorHandling(http);
  await http.register(fastifyCors, {
    origin: (origin, callback) => callback(null, originAllowed(origin, undefined)),
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    maxAge: 600,
  });
  registerHealthRoutes(http, { db, isShuttingDown: () => shuttingDown });
  registerWidgetRoutes(http, loadWidgetBundle(widgetDir));
  const apiKeys = createApiKeys(db, directory);
  const records = createRecords({
    db,
    fanOut,
    directory,
    membership,
    messages,
    events,
    verifyGrant: createClaimsVerifier(verifierOptions, recordGrantSchema, ['exp', 'iat']),
    newId: randomUUID,
  });
  await http.register(async (hostApi) => registerRecordApiRoutes(hostApi, records, apiKeys));
  const dossiers = createDossiers({ db, directory, now: () => new Date() });
  await http.register(async (scope) =>
    registerRecordDossierRoutes(scope, { dossiers, apiKeys, identity, rateLimits }),
  );
  await http.register(async (api) => {
    requireUser(api, identity);
    registerRecordUserRoutes(api, records, apiKeys);
    limitRequests(api, rateLimits);
    registerConversationRoutes(api, { conversations, messages, directory });
    registerReadStateRoutes(api, { readState, presence, directory });
    registerSearchRoutes(api, createSearch({ db }));
    registerAdminRoutes(api, administration);
    registerWebhookRoutes(api, webhooks);
  });
  let demoOrders: DemoOrders | null = null;
  if (config.demo) {
    const hostKey = await issueDemoHostKey(db, apiKeys);
    if (!hostKey) http.log.warn('no seeded demo admin in this database: the demo order system is off');
    demoOrders = hostKey
      ? createDemoOrders({
          hostKey,
          demoSecret: config.demo.secret,
          parleyUrl: () => url,
          pageUrl: () => config.publicUrl ?? url,
        })
      : null;
    registerDemoRoutes(http, createDemoLogin(db, config.demo.secret), demoOrders);
    await http.register(fastifyStatic, { root: demoPageDir });
  }
  attachSocketHandlers(io, {
    identity,
    conversations,
    messages,
    readState,
    presence,
    sync: createSync({ db, presenceOf: presence.snapshot, maxCatchUp: config.syncMaxCatchUp }),
    rateLimits,
    connectionCaps: createConnectionCaps(config.connectionCaps),
    clientAddress: clientAddresses.of,
    typing: createTyping({ fanOut, relayIntervalMs: config.relayIntervals.typingMs }),
    log: http.log,
  });

  const address = await http.listen({ port: config.port, host: config.host });
  presence.start();
  await webhookDispatcher.start();
  const url = address.replace('[::]', 'localhost').replace('0.0.0.0', 'localhost');
  // The demo's order system declares its orders, as a host would, so that `#1234` in a message opens a thread.
  await demoOrders
    ?.declareAll()
    .catch((error: unknown) => http.log.warn({ err: error }, 'demo orders not declared'));

  return {
    url,
    http,
    io,
    db,
    async close() {
      shuttingDown = true;
      const grace = setTimeout(() => http.server.closeAllConnections(), config.shutdownGraceMs);
      try {
        await presence
          .stop()
          .catch((error: unknown) => http.log.warn({ err: error }, 'presence cleanup failed'));
        // Disconnecting sockets first lets clients reconnect to another node while HTTP drains.
        await io.close();
        await http.close();
      } finally {
        clearTimeout(grace);
        eventLoop?.stop();
        await webhookDispatcher.stop();
        await db.close();
      }
    },
  };
}
