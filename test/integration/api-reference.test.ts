// The API reference cannot drift from the server: every route Parley registers is in the protocol's route
// catalogue and every catalogued route is registered, real answers match the catalogued response schemas,
// and the OpenAPI document and its page are served as generated.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { errorResponseSchema } from '../../src/protocol/errors.ts';
import { buildOpenApiDocument } from '../../src/protocol/openapi.ts';
import type { RouteSpec } from '../../src/protocol/route-spec.ts';
import { restRoutes } from '../../src/protocol/routes.ts';
import { clientEvents } from '../../src/protocol/socket-events.ts';
import type { ParleyServer } from '../../src/server/app.ts';
import { COSTLY_READ_POINTS } from '../../src/server/domain/limits/rate-limits.ts';
import { axiom, createHostKey, knownPerson, request } from '../helpers/access.ts';
import { connect } from '../helpers/clients.ts';
import { useTestServer } from '../helpers/test-server.ts';

/** `METHOD /path` of every route the server registered, read from Fastify's route tree (HEAD left out). */
function registeredRoutes(server: ParleyServer): Set<string> {
  const tree = server.http.printRoutes({ commonPrefix: false });
  const prefixes: string[] = [];
  const routes = new Set<string>();
  for (const line of tree.split('\n')) {
    const match = /^(.*?)── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const [, indent = '', segment = '', methods] = match;
    // Each level of the tree indents its children by four characters.
    const depth = (indent.length - 1) / 4;
    prefixes.length = depth;
    const path = (prefixes[depth - 1] ?? '') + segment;
    prefixes[depth] = path;
    for (const method of methods?.split(', ') ?? []) if (method !== 'HEAD') routes.add(`${method} ${path}`);
  }
  return routes;
}

const documented = (routes: readonly RouteSpec[]) =>
  new Set(routes.map((route) => `${route.method} ${route.path}`));
/**
 * What the catalogue covers: the API, the health checks and the unsubscribe links of emails (the widget
 * bundle and static files are not REST).
 */
const inScope = (route: string) => /^\w+ \/(api\/|healthz$|readyz$|metrics$|unsubscribe$)/.test(route);

function responseSchema(method: RouteSpec['method'], path: string, status: number): z.ZodType {
  const route = restRoutes.find((candidate) => candidate.method === method && candidate.path === path);
  const schema = route?.responses[status as keyof RouteSpec['responses']];
  if (!schema) throw new Error(`the catalogue has no ${status} answer for ${method} ${path}`);
  return schema;
}

describe('the API reference', () => {
  const parley = useTestServer('pglite');

  it('lists exactly the routes the server registers outside demo mode, without metrics', () => {
    const registered = [...registeredRoutes(parley.server)].filter(inScope).sort();
    expect(registered).toEqual(
      [...documented(restRoutes.filter((route) => !route.demo && !route.metrics))].sort(),
    );
  });

  it('charges the routes it says are costly what the server charges', () => {
    const costly = restRoutes.filter((route) => route.eventPoints !== undefined);
    expect(costly.map((route) => route.path).sort()).toEqual([
      '/api/records/:type/:id/dossier',
      '/api/search',
    ]);
    for (const route of costly) expect(route.eventPoints).toBe(COSTLY_READ_POINTS);
  });

  it('answers as the catalogued response schemas say', async () => {
    const url = parley.url;
    const admin = await knownPerson(url, 'Ada', { ...axiom, role: 'admin' });
    const bob = await knownPerson(url, 'Bob', axiom);
    const check = async (method: RouteSpec['method'], path: string, concrete: string, body?: unknown) => {
      const answer = await request(url, method, concrete, { token: admin.token, body });
      expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
      return responseSchema(method, path, answer.status).parse(answer.body) as Record<string, any>;
    };

    await check('GET', '/api/me', '/api/me');
    const { conversation } = await check('POST', '/api/conversations', '/api/conversations', {
      kind: 'group',
      memberIds: [bob.id],
      name: 'Reference',
    });
    const messagesPath = `/api/conversations/${conversation.id}/messages`;
    await check('POST', '/api/conversations/:id/messages', messagesPath, {
      clientMsgId: 'ref-1',
      body: 'Hello',
    });
    await check('GET', '/api/conversations/:id/messages', messagesPath);
    await check('GET', '/api/conversations', '/api/conversations');
    await check('GET', '/api/conversations/:id', `/api/conversations/${conversation.id}`);
    await check(
      'GET',
      '/api/conversations/:id/receipts',
      `/api/conversations/${conversation.id}/receipts?seq=1`,
    );
    await check('POST', '/api/conversations/:id/mute', `/api/conversations/${conversation.id}/mute`, {
      muted: true,
    });
    await check('GET', '/api/me/unread', '/api/me/unread');
    await check('GET', '/api/presence', `/api/presence?userIds=${bob.id}`);
    await check('GET', '/api/search', '/api/search?q=hello');
    await check('GET', '/api/admin/organizations', '/api/admin/organizations');
    await check('POST', '/api/admin/api-keys', '/api/admin/api-keys', {
      name: 'Docs',
      scopes: ['records:read'],
    });
    await check('GET', '/api/admin/api-keys', '/api/admin/api-keys');
    await check('GET', '/readyz', '/readyz');

    const hostKey = await createHostKey(url, admin.token);
    const declared = await request(url, 'PUT', '/api/records/order/ref-1', {
      token: hostKey,
      body: { title: 'Order ref-1', orgIds: [axiom.orgId] },
    });
    expect(declared.status).toBe(200);
    responseSchema('PUT', '/api/records/:type/:id', 200).parse(declared.body);
  });

  it('answers refusals in the catalogued error shape', async () => {
    const unknownRoute = await request(parley.url, 'GET', '/api/no-such-route');
    expect(unknownRoute.status).toBe(404);
    errorResponseSchema.parse(unknownRoute.body);
    const anonymous = await request(parley.url, 'GET', '/api/me');
    expect(anonymous.status).toBe(401);
    errorResponseSchema.parse(anonymous.body);
  });

  it('acknowledges a sync with the catalogued result', async () => {
    const person = await knownPerson(parley.url, 'Cy', axiom);
    const socket = await connect(parley.url, person.token);
    try {
      const answer = await socket.emitWithAck('sync', { cursors: {} });
      const { ok, ...result } = answer;
      expect(ok).toBe(true);
      clientEvents.sync.result.parse(result);
    } finally {
      socket.close();
    }
  });

  it('serves the OpenAPI document generated from the catalogue, and a page that runs no script', async () => {
    const document = await request(parley.url, 'GET', '/api/openapi.json');
    expect(document.status).toBe(200);
    expect(document.body).toEqual(
      JSON.parse(JSON.stringify(buildOpenApiDocument(document.body.info.version))),
    );
    expect(document.body.openapi).toBe('3.1.0');

    const page = await fetch(`${parley.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
    const html = await page.text();
    expect(html).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
    expect(html).toContain('/api/conversations/{id}/messages');
  });
});

describe('the API reference in demo mode', () => {
  const parley = useTestServer('pglite', { env: { PARLEY_DEMO: '1' } });

  it('lists the demo routes, which only demo mode registers', () => {
    const registered = registeredRoutes(parley.server);
    const demo = [...documented(restRoutes.filter((route) => route.demo))];
    expect(demo.filter((route) => !registered.has(route))).toEqual([]);
    const everything = documented(restRoutes);
    expect([...registered].filter(inScope).filter((route) => !everything.has(route))).toEqual([]);
  });
});

describe('the API reference with metrics on Parley’s port', () => {
  const parley = useTestServer('pglite', {
    env: { PARLEY_METRICS_TOKEN: 'metrics-token-for-tests-0123456789abcdef' },
  });

  it('lists the metrics route, which only a metrics token registers', () => {
    const registered = [...registeredRoutes(parley.server)].filter(inScope).sort();
    expect(registered).toEqual([...documented(restRoutes.filter((route) => !route.demo))].sort());
  });
});
