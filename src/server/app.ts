// The composition root: builds the store, domain services, fan-out and transports from a Config and starts
// listening. The only module that knows every part.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { createDemoLogin } from './demo/demo-login.ts';
import { seedDemo } from './demo/seed.ts';
import { createConversations } from './domain/conversations/conversations.ts';
import { createIdentity } from './domain/identity/identity.ts';
import { createTokenVerifier } from './domain/identity/token-verifier.ts';
import { createMessages } from './domain/messages/messages.ts';
import { type ParleySocketServer, socketIoFanOut } from './fanout/socket-io-fanout.ts';
import type { Database } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { openPglite } from './store/pglite.ts';
import { openPostgres } from './store/postgres.ts';
import { requireUser } from './transport/http/authenticate.ts';
import { registerConversationRoutes } from './transport/http/conversation-routes.ts';
import { registerDemoRoutes } from './transport/http/demo-routes.ts';
import { registerErrorHandling } from './transport/http/errors.ts';
import { registerHealthRoutes } from './transport/http/health-routes.ts';
import { attachSocketHandlers, createSocketServer } from './transport/socket/socket-server.ts';

const demoPageDir = fileURLToPath(new URL('../../public/', import.meta.url));

export interface ParleyServer {
  /** Where the server listens, e.g. http://127.0.0.1:3000. */
  url: string;
  http: FastifyInstance;
  io: ParleySocketServer;
  db: Database;
  /** Stops taking work, lets in-flight requests finish (up to the configured grace), then closes everything. */
  close(): Promise<void>;
}

/** Largest request body or socket frame: the longest allowed message with room for the envelope. */
function maxPayloadBytes(config: Config): number {
  return config.maxMessageLength * 4 + 16 * 1024;
}

async function openDatabase(config: Config, http: FastifyInstance): Promise<Database> {
  if (config.database.driver === 'pglite') return openPglite(config.database.dataDir);
  return openPostgres(config.database.url, config.database.poolSize, (error) =>
    http.log.warn({ err: error }, 'idle database connection failed'),
  );
}

export async function startParley(config: Config): Promise<ParleyServer> {
  const http = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: maxPayloadBytes(config),
    genReqId: () => randomUUID(),
  });
  const db = await openDatabase(config, http);
  try {
    const applied = await migrate(db);
    if (applied.length > 0) http.log.info({ migrations: applied }, 'database migrated');
  } catch (error) {
    await db.close();
    throw error;
  }

  const io = createSocketServer(http.server, maxPayloadBytes(config));
  const fanOut = socketIoFanOut(io);
  const identity = createIdentity(db, createTokenVerifier(config.jwt));
  const conversations = createConversations({ db, fanOut, newId: randomUUID });
  const messages = createMessages({ db, fanOut, maxMessageLength: config.maxMessageLength });

  if (config.demo && (await seedDemo({ db, conversations, messages }))) http.log.info('demo data seeded');

  let shuttingDown = false;
  registerErrorHandling(http);
  registerHealthRoutes(http, { db, isShuttingDown: () => shuttingDown });
  await http.register(async (api) => {
    requireUser(api, identity);
    registerConversationRoutes(api, { conversations, messages });
  });
  if (config.demo && config.jwt.secret) {
    registerDemoRoutes(http, createDemoLogin(db, config.jwt.secret));
    await http.register(fastifyStatic, { root: demoPageDir });
  }
  attachSocketHandlers(io, { identity, conversations, messages, log: http.log });

  const address = await http.listen({ port: config.port, host: config.host });
  const url = address.replace('[::]', 'localhost').replace('0.0.0.0', 'localhost');

  return {
    url,
    http,
    io,
    db,
    async close() {
      shuttingDown = true;
      const grace = setTimeout(() => http.server.closeAllConnections(), config.shutdownGraceMs);
      try {
        // Disconnecting sockets first lets clients reconnect to another node while HTTP drains.
        await io.close();
        await http.close();
      } finally {
        clearTimeout(grace);
        await db.close();
      }
    },
  };
}
