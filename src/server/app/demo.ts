// Demo mode: seeded demo data, the unauthenticated demo login and the demo order system, which acts as a
// host would (the demo pages are in pages.ts).
import type { FastifyInstance } from 'fastify';
import type { DemoMode } from '../config/demo-mode.ts';
import { createDemoLogin } from '../demo/demo-login.ts';
import { createDemoOrders, type DemoOrders } from '../demo/orders.ts';
import { issueDemoHostKey, seedDemo } from '../demo/seed.ts';
import type { Database } from '../store/db.ts';
import { registerDemoRoutes } from '../transport/http/demo-routes.ts';
import type { Domains } from './domains.ts';

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
  return demoOrders;
}
