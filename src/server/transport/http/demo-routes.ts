// Demo mode only: the list of demo users and a login that issues a host-style token for one of them.
import type { FastifyInstance } from 'fastify';
import { demoLoginRequestSchema } from '../../../protocol/rest.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { DemoLogin } from '../../demo/demo-login.ts';

export function registerDemoRoutes(app: FastifyInstance, demo: DemoLogin): void {
  app.get('/api/demo/users', async () => ({ users: await demo.users() }));
  app.post('/api/demo/login', async (request) =>
    demo.login(parseInput(demoLoginRequestSchema, request.body).userId),
  );
}
