// Demo mode only: the demo host's login (a token for a demo user), its orders, the record grants its pages
// pass to the widget, and status changes that its back-end posts into order threads.
import type { FastifyInstance } from 'fastify';
import {
  demoLoginRequestSchema,
  demoOrderParamsSchema,
  demoOrderStatusRequestSchema,
} from '../../../protocol/rest.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { DemoLogin } from '../../demo/demo-login.ts';
import type { DemoOrders } from '../../demo/orders.ts';

/** `orders` is null when the database holds no demo admin to run the order system as. */
export function registerDemoRoutes(app: FastifyInstance, demo: DemoLogin, orders: DemoOrders | null): void {
  app.get('/demo', async (_request, reply) => reply.redirect('/demo.html'));
  app.get('/api/demo/users', async () => ({ users: await demo.users() }));
  app.post('/api/demo/login', async (request) =>
    demo.login(parseInput(demoLoginRequestSchema, request.body).userId),
  );
  if (!orders) return;
  app.get('/api/demo/orders', async () => ({ orders: orders.list() }));
  app.post('/api/demo/orders/:id/grant', async (request) => {
    const { id } = parseInput(demoOrderParamsSchema, request.params);
    return { grant: await orders.grant(id) };
  });
  app.post('/api/demo/orders/:id/status', async (request) => {
    const { id } = parseInput(demoOrderParamsSchema, request.params);
    const { status } = parseInput(demoOrderStatusRequestSchema, request.body);
    return orders.setStatus(id, status);
  });
}
