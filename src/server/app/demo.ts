// Demo mode: seeded demo data, the unauthenticated demo login, the demo pages and the demo order system,
// which acts as a host would.
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DemoMode } from '../config/demo-mode.ts';
import { createDemoLogin } from '../demo/demo-login.ts';
import { createDemoOrders, type DemoOrders } from '../demo/orders.ts';
import { issueDemoHostKey, seedDemo } from '../demo/seed.ts';
import type { Database } from '../store/db.ts';
import { registerDemoRoutes } from '../transport/http/demo-routes.ts';
import type { Domains } from './domains.ts';

const demoPageDir = fileURLToPath(new URL('../../../public/', import.meta.url));
/** What the page's scripts use of the SDK, built by `npm run build:page`. */
const pageSdkDir = fileURLToPath(new URL('../../../dist/page/', import.meta.url));

/**
 * The service worker is checked for updates at every visit (browsers skip their HTTP cache for it unless
 * told otherwise, but a proxy may not): a deploy reaches installed apps at their next start.
 */
function pageHeaders(reply: FastifyReply, path: string): void {
  if (path.endsWith('/sw.js'))
    reply.header('cache-control', 'no-cache').header('service-worker-allowed', '/');
}

export interface DemoDeps {
  demo: DemoMode;
  db: Database;
  domains: Domains;
  /** Where Parley listens, and where people open its pages; known only once it listens. */
  parleyUrl: () => string;
  pageUrl: () => string;
}

/** Seeds the demo and registers its routes; the order system, unless this database has no demo admin. */
export async function openDemo(
  http: FastifyInstance,
  { demo, db, domains, parleyUrl, pageUrl }: DemoDeps,
): Promise<DemoOrders | null> {
  const { conversations, messages, apiKeys } = domains;
  if (await seedDemo({ db, conversations, messages })) http.log.info('demo data seeded');
  const hostKey = await issueDemoHostKey(db, apiKeys);
  if (!hostKey) http.log.warn('no seeded demo admin in this database: the demo order system is off');
  const demoOrders = hostKey
    ? createDemoOrders({ hostKey, demoSecret: demo.secret, parleyUrl, pageUrl })
    : null;
  registerDemoRoutes(http, createDemoLogin(db, demo.secret, demoOrders), demoOrders);
  await http.register(fastifyStatic, { root: [demoPageDir, pageSdkDir], setHeaders: pageHeaders });
  return demoOrders;
}
