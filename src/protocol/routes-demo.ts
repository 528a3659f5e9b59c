// The demo-mode part of the REST catalogue (routes.ts): the demo host's login and order system, registered
// only when Parley runs as a demo (`PARLEY_DEMO`), never on a deployment.
import { z } from 'zod';
import { userSchema } from './models.ts';
import {
  demoLoginRequestSchema,
  demoOrderParamsSchema,
  demoOrderStatusRequestSchema,
  sendMessageResponseSchema,
} from './rest.ts';
import type { RouteSpec } from './route-spec.ts';

const demoOrderSchema = z.strictObject({
  id: z.string(),
  customer: z.string(),
  status: demoOrderStatusRequestSchema.shape.status,
  shipDate: z.string(),
  sku: z.string(),
});

const order = { params: demoOrderParamsSchema };

export const demoRoutes: RouteSpec[] = [
  {
    method: 'GET',
    path: '/api/demo/users',
    summary: 'The seeded demo users one may act as.',
    auth: 'none',
    responses: { 200: z.strictObject({ users: z.array(userSchema.extend({ orgName: z.string() })) }) },
    errors: [],
    demo: true,
  },
  {
    method: 'POST',
    path: '/api/demo/login',
    summary: 'A token for a demo user, signed as the host would sign it.',
    auth: 'none',
    body: demoLoginRequestSchema,
    responses: { 200: z.strictObject({ token: z.string(), user: userSchema }) },
    errors: ['not_found'],
    demo: true,
  },
  {
    method: 'GET',
    path: '/api/demo/orders',
    summary: "The demo host's orders (what its record threads are about).",
    auth: 'none',
    responses: { 200: z.strictObject({ orders: z.array(demoOrderSchema) }) },
    errors: [],
    demo: true,
  },
  {
    method: 'POST',
    path: '/api/demo/orders/:id/grant',
    summary: "Declares the order and signs a record grant for the widget's `openThread`.",
    auth: 'none',
    ...order,
    responses: { 200: z.strictObject({ grant: z.string() }) },
    errors: ['not_found'],
    demo: true,
  },
  {
    method: 'POST',
    path: '/api/demo/orders/:id/status',
    summary: "Changes an order's status: its context card follows and an event lands in its thread.",
    auth: 'none',
    ...order,
    body: demoOrderStatusRequestSchema,
    responses: { 200: sendMessageResponseSchema.extend({ order: demoOrderSchema }) },
    errors: ['not_found'],
    demo: true,
  },
];
