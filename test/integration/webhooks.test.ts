// Outgoing webhooks end to end: real messages in a real database (PGlite and PostgreSQL), the dispatcher
// POSTing to a real HTTP receiver on 127.0.0.1 (admitted by the operator's allow-list), and the admin routes
// on a real Fastify instance. Names resolve through a table the tests change, never through real DNS.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import ipaddr from 'ipaddr.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/models.ts';
import type { CreatedWebhook, WebhookDelivery, WebhookDeliveryBody } from '../../src/protocol/webhooks.ts';
import { createDirectory } from '../../src/server/domain/access/directory.ts';
import { createDomainEvents, type DomainEvents } from '../../src/server/domain/events/domain-events.ts';
import { createIdentity, type Identity } from '../../src/server/domain/identity/identity.ts';
import { createTokenVerifier } from '../../src/server/domain/identity/token-verifier.ts';
import {
  createDestinations,
  type DestinationAllowList,
  type ResolveHost,
  resolveWithSystem,
} from '../../src/server/domain/outbound/destinations.ts';
import {
  createWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
} from '../../src/server/domain/webhooks/dispatcher.ts';
import { webhookRequests } from '../../src/server/domain/webhooks/post-delivery.ts';
import { verifyWebhookSignature } from '../../src/server/domain/webhooks/signature.ts';
import { createWebhooks } from '../../src/server/domain/webhooks/webhooks.ts';
import { insertConversation } from '../../src/server/store/conversations.ts';
import type { Database } from '../../src/server/store/db.ts';
import { addMembers } from '../../src/server/store/members.ts';
import { appendMessage } from '../../src/server/store/message-append.ts';
import { migrate } from '../../src/server/store/migrate.ts';
import { openPglite } from '../../src/server/store/pglite.ts';
import { openPostgres } from '../../src/server/store/postgres.ts';
import { disableWebhook, listWebhooks } from '../../src/server/store/webhooks.ts';
import { requireUser } from '../../src/server/transport/http/authenticate.ts';
import { registerErrorHandling } from '../../src/server/transport/http/errors.ts';
import { registerWebhookRoutes } from '../../src/server/transport/http/webhook-routes.ts';
import { axiom, knownPerson, newPerson, northwind, type Person } from '../helpers/access.ts';
import { api } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { createArrivals } from '../helpers/events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { createTestStorage, startTestServer, TEST_JWT_SECRET } from '../helpers/server.ts';

interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers its n-th request (from 1): a status and body, or no answer at all. */
type Answer = (
  n: number,
) => { status: number; body?: string; headers?: Record<string, string>; delayMs?: number } | 'hang';

const RECEIVER_PATIENCE_MS = 55_000;

/** A host back-end's webhook endpoint: a real HTTP server on 127.0.0.1 that records every request. */
async function startReceiver(answer: Answer = () => ({ status: 204 })) {
  const requests = createArrivals<ReceivedRequest>('requests');
  let connections = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.add({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const reply = answer(requests.received.length);
      if (reply === 'hang') return;
      setTimeout(
        () => response.writeHead(reply.status, reply.headers).end(reply.body ?? ''),
        reply.delayMs ?? 0,
      );
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/parley-hook`,
    port,
    requests: requests.received,
    /** TCP connections accepted, whether or not a request followed. */
    connections: () => connections,
    /** Resolves once `count` requests have arrived; retries may take most of a test's time to come. */
    waitFor: (count: number) => requests.waitFor(count, RECEIVER_PATIENCE_MS),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** A public address the tests' DNS may answer at registration; nothing is ever sent to it. */
const PUBLIC_ADDRESS = '93.184.215.14';

/** What an operator running receivers on the same host as Parley sets PARLEY_WEBHOOK_ALLOW to. */
const allowLoopbackReceivers: DestinationAllowList = {
  hosts: [],
  ranges: [ipaddr.parseCIDR('127.0.0.1/32')],
};
const allowNothing: DestinationAllowList = { hosts: [], ranges: [] };

/**
 * The tests' DNS: names a test points somewhere, changed as it goes. Registration falls back to the system
 * for `localhost`; deliveries never resolve a name off the table, nor connect off this machine.
 */
const dns = new Map<string, string[]>();
const resolveAtRegistration: ResolveHost = async (host) => dns.get(host) ?? resolveWithSystem(host);
const resolveAtDelivery: ResolveHost = async (host) => {
  const addresses = dns.get(host) ?? [];
  if (!addresses.every((address) => address.startsWith('127.')))
    throw new Error(`${host} is off this machine`);
  return addresses;
};

/** Fast enough for tests: the schedule's shape is the production one, scaled down. */
const quick: Partial<WebhookDispatcherOptions> = {
  pollIntervalMs: 10,
  backoffBaseMs: 5,
  timeoutMs: 2_000,
  claimLeaseMs: 30_000,
};

async function openDatabase(
  driver: 'pglite' | 'postgres',
  url: string | undefined,
  onIdleClientError: (error: Error) => void,
): Promise<Database> {
  if (driver === 'pglite') return openPglite('memory://');
  if (!url) throw new Error('a PostgreSQL URL is required');
  return openPostgres(url, 5, onIdleClientError);
}

/** How long a test waits for the log to settle: generous, for a loaded machine; polls end as soon as it has. */
// Generous: under a full parallel test run a PGlite worker can wait seconds for its turn.
const settled = { timeout: 30_000, interval: 50 };

const drivers = testDrivers();

describe.each(drivers)('outgoing webhooks on %s', (driver) => {
  let postgres: TestDatabase | undefined;
  let db: Database;
  let identity: Identity;
  /** The admin routes with 127.0.0.1 receivers admitted, as every delivery test needs. */
  let app: FastifyInstance;
  /** The same routes with no allow-list, as Parley starts by default. */
  let strictApp: FastifyInstance;
  let admin: Person;
  let member: Person;
  let conversationId: string;
  const loopErrors: unknown[] = [];
  const dispatchers: WebhookDispatcher[] = [];
  const receivers: Receiver[] = [];
  const databases: Database[] = [];
  let routesDispatcher: WebhookDispatcher;

  beforeAll(async () => {
    postgres = driver === 'postgres' ? await createTestDatabase() : undefined;
    db = await openDatabase(driver, postgres?.url, fail);
    await migrate(db);
    identity = createIdentity({
      db,
      verifyToken: createTokenVerifier({
        secret: TEST_JWT_SECRET,
        jwksUrl: undefined,
        issuer: undefined,
        audience: undefined,
        clockToleranceSeconds: 5,
      }),
      onAccessChanged: async () => undefined,
    });
    admin = await newPerson('admin', { ...axiom, role: 'admin' });
    member = await newPerson('member', axiom);
    const adminUser = (await identity.authenticate(admin.token)).user;
    await identity.authenticate(member.token);
    conversationId = randomUUID();
    await insertConversation(db, {
      id: conversationId,
      kind: 'group',
      name: 'orders',
      directKey: null,
      policy: null,
      createdBy: adminUser.id,
    });
    await addMembers(db, conversationId, [admin.id, member.id]);

    // Their dispatcher never starts: it only has its list refreshed, as on a node whose loop is elsewhere.
    routesDispatcher = createWebhookDispatcher({
      db,
      events: createDomainEvents(fail),
      onError: fail,
      destinations: createDestinations({
        requests: webhookRequests,
        allow: allowNothing,
        resolve: resolveAtDelivery,
      }),
    });
    app = await mountRoutes(allowLoopbackReceivers);
    strictApp = await mountRoutes(allowNothing);
  });

  /** The admin routes as the app mounts them: behind the real token check, with the real error mapping. */
  async function mountRoutes(allow: DestinationAllowList): Promise<FastifyInstance> {
    const routes = Fastify();
    registerErrorHandling(routes);
    await routes.register(async (scope) => {
      requireUser(scope, identity);
      registerWebhookRoutes(
        scope,
        createWebhooks({
          db,
          directory: createDirectory(db, { externalCrossOrgMessages: false }),
          dispatcher: routesDispatcher,
          destinations: createDestinations({
            requests: webhookRequests,
            allow,
            resolve: resolveAtRegistration,
          }),
        }),
      );
    });
    await routes.ready();
    return routes;
  }

  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.stop()));
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
    // Nothing a test registered may reach the next test's workers.
    for (const webhook of await listWebhooks(db)) await disableWebhook(db, webhook.id);
    dns.clear();
    expect(loopErrors).toEqual([]);
  });

  afterAll(async () => {
    await app?.close();
    await strictApp?.close();
    for (const other of databases) await other.close();
    await db?.close();
    await postgres?.drop();
  });

  function fail(error: unknown): void {
    loopErrors.push(error);
  }

  async function receiver(answer?: Answer): Promise<Receiver> {
    const started = await startReceiver(answer);
    receivers.push(started);
    return started;
  }

  /**
   * A dispatcher as one node runs it, publishing on its own events; stopped after the test. It admits
   * 127.0.0.1 receivers unless told otherwise.
   */
  async function startDispatcher(
    options: Partial<WebhookDispatcherOptions> = {},
    on: { db?: Database; allow?: DestinationAllowList; resolve?: ResolveHost } = {},
  ): Promise<{ dispatcher: WebhookDispatcher; events: DomainEvents }> {
    const events = createDomainEvents(fail);
    const dispatcher = createWebhookDispatcher({
      db: on.db ?? db,
      events,
      onError: fail,
      options: { ...quick, ...options },
      destinations: createDestinations({
        requests: webhookRequests,
        allow: on.allow ?? allowLoopbackReceivers,
        resolve: on.resolve ?? resolveAtDelivery,
      }),
    });
    dispatchers.push(dispatcher);
    await dispatcher.start();
    return { dispatcher, events };
  }

  const call = async (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    token: string,
    payload?: unknown,
    routes: FastifyInstance = app,
  ) => {
    const response = await routes.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: response.statusCode, body: response.body ? response.json() : undefined };
  };

  /** Asks `routes` to register a webhook for `url`: the answer, whatever it is. */
  const requestWebhook = (url: string, routes: FastifyInstance = app) =>
    call('POST', '/api/admin/webhooks', admin.token, { url, events: ['message.created'] }, routes);

  async function register(url: string, routes: FastifyInstance = app): Promise<CreatedWebhook> {
    const response = await requestWebhook(url, routes);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.webhook;
  }

  async function deliveriesOf(webhookId: string, query = ''): Promise<WebhookDelivery[]> {
    const response = await call('GET', `/api/admin/webhooks/${webhookId}/deliveries${query}`, admin.token);
    expect(response.status).toBe(200);
    return response.body.deliveries;
  }

  /** A message stored as a send stores it, announced the way messages.ts announces it after the commit. */
  async function sendMessage(events: DomainEvents, body: string): Promise<Message> {
    const appended = await appendMessage(db, {
      conversationId,
      senderId: member.id,
      clientMsgId: randomUUID(),
      body,
      mentions: [],
      kind: 'message',
    });
    if (appended.kind !== 'appended') throw new Error(`message not stored: ${appended.kind}`);
    events.publish({ type: 'message.created', message: appended.message });
    return appended.message;
  }

  it('POSTs a new message to a webhook on 127.0.0.1, signed so that verifyWebhookSignature accepts it', async () => {
    const endpoint = await receiver(() => ({ status: 200, body: 'ok' }));
    const webhook = await register(endpoint.url);
    const { events } = await startDispatcher();
    const sentAt = Math.floor(Date.now() / 1000);

    const message = await sendMessage(events, 'Order #1234 shipped');

    const [request] = await endpoint.waitFor(1);
    expect(request).toMatchObject({ method: 'POST', url: '/parley-hook' });
    const headers = request!.headers;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['parley-event']).toBe('message.created');
    expect(Number(headers['parley-timestamp'])).toBeGreaterThanOrEqual(sentAt);
    expect(Number(headers['parley-timestamp'])).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(headers['parley-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    const signed = (secret: string) =>
      verifyWebhookSignature(
        secret,
        headers['parley-signature'] as string,
        headers['parley-timestamp'] as string,
        request!.body,
      );
    expect(signed(webhook.secret)).toBe(true);
    expect(signed(`${webhook.secret}x`)).toBe(false);

    const body = JSON.parse(request!.body) as WebhookDeliveryBody<'message.created'>;
    expect(body).toEqual({
      id: headers['parley-delivery'],
      type: 'message.created',
      createdAt: expect.any(String),
      data: {
        message,
        conversation: {
          id: conversationId,
          kind: 'group',
          record: null,
          audienceOrgIds: null,
          internalNote: false,
        },
      },
    });
    await expect
      .poll(() => deliveriesOf(webhook.id), settled)
      .toEqual([
        {
          id: body.id,
          event: 'message.created',
          status: 'delivered',
          attempts: 1,
          lastStatus: 200,
          lastError: null,
          createdAt: body.createdAt,
          nextAttemptAt: null,
          deliveredAt: expect.any(String),
        },
      ]);
  });

  it('delivers a message stored while no dispatcher ran: its delivery is stored with the message', async () => {
    const endpoint = await receiver();
    const webhook = await register(endpoint.url);
    // Stored with nobody listening, as when a node dies right after the commit.
    const message = await sendMessage(createDomainEvents(fail), 'stored before any worker ran');
    expect(await deliveriesOf(webhook.id)).toMatchObject([{ status: 'pending', attempts: 0 }]);

    await startDispatcher();
    const [request] = await endpoint.waitFor(1);
    const body = JSON.parse(request!.body) as WebhookDeliveryBody<'message.created'>;
    expect(body.data.message).toEqual(message);
    await expect.poll(() => deliveriesOf(webhook.id), settled).toMatchObject([{ status: 'delivered' }]);
  });

  it('retries a receiver that answers 500 twice, and logs three attempts ending delivered', async () => {
    const endpoint = await receiver((n) => (n <= 2 ? { status: 500, body: 'try later' } : { status: 200 }));
    const webhook = await register(endpoint.url);
    const { events } = await startDispatcher();

    await sendMessage(events, 'third time lucky');

    const requests = await endpoint.waitFor(3);
    expect(new Set(requests.map((r) => r.headers['parley-delivery'])).size).toBe(1);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    for (const request of requests) {
      const { 'parley-signature': signature, 'parley-timestamp': timestamp } = request.headers;
      expect(
        verifyWebhookSignature(webhook.secret, signature as string, timestamp as string, request.body),
      ).toBe(true);
    }
    await expect
      .poll(() => deliveriesOf(webhook.id), settled)
      .toMatchObject([
        { status: 'delivered', attempts: 3, lastStatus: 200, lastError: null, nextAttemptAt: null },
      ]);
    expect(endpoint.requests).toHaveLength(3);
  });

  it('marks a delivery failed after the maximum attempts when the receiver never answers 2xx', async () => {
    const endpoint = await receiver(() => ({ status: 503, body: 'down for maintenance' }));
    const webhook = await register(endpoint.url);
    // The production schedule scaled to a 0.1 ms base: about 0.7 s for all eight attempts.
    const { events } = await startDispatcher({ backoffBaseMs: 0.1, maxAttempts: 8 });

    await sendMessage(events, 'nobody home');

    await expect
      .poll(() => deliveriesOf(webhook.id), settled)
      .toMatchObject([
        {
          status: 'failed',
          attempts: 8,
          lastStatus: 503,
          lastError: 'HTTP 503',
          nextAttemptAt: null,
          deliveredAt: null,
        },
      ]);
    expect(endpoint.requests).toHaveLength(8);
  });

  it('counts a refused connection and a receiver that never answers as failed attempts', async () => {
    const closed = await receiver();
    await closed.close();
    const silent = await receiver(() => 'hang');
    const [refusing, hanging] = [await register(closed.url), await register(silent.url)];
    const { events } = await startDispatcher({ maxAttempts: 1, timeoutMs: 300 });

    await sendMessage(events, 'is anyone there?');

    await expect
      .poll(() => deliveriesOf(refusing.id), settled)
      .toMatchObject([
        {
          status: 'failed',
          attempts: 1,
          lastStatus: null,
          lastError: expect.stringContaining('ECONNREFUSED'),
        },
      ]);
    await expect
      .poll(() => deliveriesOf(hanging.id), settled)
      .toMatchObject([
        { status: 'failed', attempts: 1, lastStatus: null, lastError: 'no response within 300 ms' },
      ]);
    expect(silent.requests).toHaveLength(1);
  });

  it('sends nothing to a disabled webhook, even from a node that has not re-read the list yet', async () => {
    const [disabledEndpoint, enabledEndpoint] = [await receiver(), await receiver()];
    const [disabled, enabled] = [await register(disabledEndpoint.url), await register(enabledEndpoint.url)];
    // This node read both webhooks at start and will not re-read them for 30 s.
    const otherNode = await startDispatcher({ refreshIntervalMs: 30_000 });

    const answer = await call('POST', `/api/admin/webhooks/${disabled.id}/disable`, admin.token);
    expect(answer.status).toBe(200);
    expect(answer.body.webhook).toMatchObject({ id: disabled.id, disabledAt: expect.any(String) });
    expect(answer.body.webhook).not.toHaveProperty('secret');
    await sendMessage(otherNode.events, 'only for the enabled one');

    await enabledEndpoint.waitFor(1);
    await expect.poll(() => deliveriesOf(enabled.id), settled).toMatchObject([{ status: 'delivered' }]);
    expect(disabledEndpoint.requests).toEqual([]);
    expect(await deliveriesOf(disabled.id)).toEqual([]);
  });

  it('gives up the pending deliveries of a webhook when it is disabled', async () => {
    const endpoint = await receiver(() => ({ status: 500 }));
    const webhook = await register(endpoint.url);
    // A first failure, then a retry due only in an hour.
    const { events } = await startDispatcher({ backoffBaseMs: 3_600_000 });
    await sendMessage(events, 'retry me later');
    await endpoint.waitFor(1);
    await expect
      .poll(() => deliveriesOf(webhook.id), settled)
      // The failed attempt's outcome is recorded, not merely its claim: the retry is now due in an hour.
      .toMatchObject([{ status: 'pending', attempts: 1, lastStatus: 500 }]);

    expect((await call('POST', `/api/admin/webhooks/${webhook.id}/disable`, admin.token)).status).toBe(200);

    expect(await deliveriesOf(webhook.id)).toMatchObject([
      { status: 'failed', attempts: 1, lastStatus: 500, lastError: 'webhook disabled', nextAttemptAt: null },
    ]);
  });

  it('never delivers one delivery twice when two workers share the database', async () => {
    const count = 40;
    const endpoint = await receiver(() => ({ status: 200, delayMs: 20 }));
    // Named, so that each node's resolver sees every connection it opens: one per POST.
    dns.set('receiver.example.test', ['127.0.0.1']);
    const webhook = await register(`http://receiver.example.test:${endpoint.port}/parley-hook`);
    // Two nodes: on PostgreSQL each with its own connection pool, as separate processes would be.
    const secondDb = driver === 'postgres' ? await openDatabase(driver, postgres?.url, fail) : db;
    if (secondDb !== db) databases.push(secondDb);
    const posts = [0, 0];
    const counting =
      (node: 0 | 1): ResolveHost =>
      (host) => {
        posts[node]! += 1;
        return resolveAtDelivery(host);
      };
    // This test is about claims, not timeouts: on a loaded machine the in-process PGlite can hold the event
    // loop past the quick 2 s timeout, and a timed-out attempt would be retried.
    const patient = { concurrency: 4, timeoutMs: 20_000 };
    const nodes = [
      await startDispatcher(patient, { resolve: counting(0) }),
      await startDispatcher(patient, { db: secondDb, resolve: counting(1) }),
    ];

    for (let i = 0; i < count; i++) await sendMessage(nodes[i % 2]!.events, `message ${i}`);

    await endpoint.waitFor(count);
    const log = await allDelivered(webhook.id, count);
    expect(log.every((delivery) => delivery.attempts === 1)).toBe(true);
    const delivered = endpoint.requests.map((request) => request.headers['parley-delivery']);
    expect(delivered).toHaveLength(count);
    expect(new Set(delivered).size).toBe(count);
    expect(posts[0]! + posts[1]!).toBe(count);
    expect(posts[0]).toBeGreaterThan(0);
    expect(posts[1]).toBeGreaterThan(0);
    // The log pages latest first.
    const firstPage = await deliveriesOf(webhook.id, '?limit=15');
    const secondPage = await deliveriesOf(webhook.id, `?limit=15&before=${firstPage.at(-1)!.id}`);
    expect([...firstPage, ...secondPage].map((d) => Number(d.id))).toEqual(
      log.slice(0, 30).map((d) => Number(d.id)),
    );
  });

  /** The log once `count` deliveries are delivered. */
  async function allDelivered(webhookId: string, count: number): Promise<WebhookDelivery[]> {
    let log: WebhookDelivery[] = [];
    await expect
      .poll(async () => {
        log = await deliveriesOf(webhookId, '?limit=200');
        return log.filter((delivery) => delivery.status === 'delivered').length;
      }, settled)
      .toBe(count);
    return log;
  }

  it('costs no query per message while no webhook is enabled', async () => {
    let queries = 0;
    const counted: Database = {
      ...db,
      query: (text, params) => {
        queries += 1;
        return db.query(text, params);
      },
    };
    const { events } = await startDispatcher({ pollIntervalMs: 60_000 }, { db: counted });
    queries = 0;

    for (let i = 0; i < 5; i++) await sendMessage(events, `quiet ${i}`);
    await new Promise((resolve) => setImmediate(resolve));

    expect(queries).toBe(0);
  });

  describe('registration', () => {
    beforeEach(() => {
      dns.set('host.example.test', [PUBLIC_ADDRESS]);
    });

    it('creates a webhook with a secret shown only in the answer to the creation', async () => {
      const webhook = await register('https://host.example.test/parley/events');

      expect(webhook).toEqual({
        id: expect.any(String),
        url: 'https://host.example.test/parley/events',
        events: ['message.created'],
        createdBy: admin.id,
        createdAt: expect.any(String),
        disabledAt: null,
        secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      const listed = await call('GET', '/api/admin/webhooks', admin.token);
      expect(listed.status).toBe(200);
      const { secret: _secret, ...withoutSecret } = webhook;
      expect(listed.body.webhooks).toContainEqual(withoutSecret);
      expect(JSON.stringify(listed.body)).not.toContain(webhook.secret);
    });

    it('refuses everyone but internal admins', async () => {
      const vendorAdmin = await newPerson('vendor-admin', { ...northwind, role: 'admin' });
      const webhook = await register('https://host.example.test/hook');
      const body = { url: 'https://host.example.test/other', events: ['message.created'] };

      for (const person of [member, vendorAdmin]) {
        const attempts = [
          await call('POST', '/api/admin/webhooks', person.token, body),
          await call('GET', '/api/admin/webhooks', person.token),
          await call('GET', `/api/admin/webhooks/${webhook.id}/deliveries`, person.token),
          await call('POST', `/api/admin/webhooks/${webhook.id}/disable`, person.token),
          await call('DELETE', `/api/admin/webhooks/${webhook.id}`, person.token),
        ];
        for (const attempt of attempts) {
          expect(attempt).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
        }
      }
      const anonymous = await app.inject({ method: 'GET', url: '/api/admin/webhooks' });
      expect(anonymous.statusCode).toBe(401);
      const listed = await call('GET', '/api/admin/webhooks', admin.token);
      expect(listed.body.webhooks.filter((w: { url: string }) => w.url.endsWith('/other'))).toEqual([]);
    });

    it('refuses URLs that are not http(s), unknown events and malformed requests', async () => {
      const before = (await call('GET', '/api/admin/webhooks', admin.token)).body.webhooks.length;
      const refused = [
        { url: 'ftp://host.example.test/hook', events: ['message.created'] },
        { url: 'file:///etc/passwd', events: ['message.created'] },
        { url: 'javascript:alert(1)', events: ['message.created'] },
        { url: 'host.example.test/hook', events: ['message.created'] },
        { url: `https://host.example.test/${'x'.repeat(2000)}`, events: ['message.created'] },
        { url: 'https://host.example.test/hook', events: ['message.exploded'] },
        { url: 'https://host.example.test/hook', events: [] },
        { url: 'https://host.example.test/hook' },
        { url: 'https://host.example.test/hook', events: ['message.created'], secret: 'mine' },
      ];
      for (const body of refused) {
        const answer = await call('POST', '/api/admin/webhooks', admin.token, body);
        expect(answer, JSON.stringify(body)).toMatchObject({
          status: 400,
          body: { error: { code: 'invalid_payload' } },
        });
      }
      expect((await call('GET', '/api/admin/webhooks', admin.token)).body.webhooks).toHaveLength(before);
    });

    it('deletes a webhook with its delivery log, and answers not_found for unknown webhooks', async () => {
      const endpoint = await receiver();
      const webhook = await register(endpoint.url);
      const { events } = await startDispatcher();
      await sendMessage(events, 'logged, then deleted');
      await expect.poll(() => deliveriesOf(webhook.id), settled).toMatchObject([{ status: 'delivered' }]);

      expect((await call('DELETE', `/api/admin/webhooks/${webhook.id}`, admin.token)).status).toBe(204);

      const listed = await call('GET', '/api/admin/webhooks', admin.token);
      expect(listed.body.webhooks.map((w: { id: string }) => w.id)).not.toContain(webhook.id);
      for (const [method, url] of [
        ['GET', `/api/admin/webhooks/${webhook.id}/deliveries`],
        ['POST', `/api/admin/webhooks/${webhook.id}/disable`],
        ['DELETE', `/api/admin/webhooks/${webhook.id}`],
      ] as const) {
        expect(await call(method, url, admin.token)).toMatchObject({
          status: 404,
          body: { error: { code: 'not_found' } },
        });
      }
    });
  });

  describe('destinations', () => {
    /** A message sent on a node with this allow-list, and its log entry once its one attempt has failed. */
    async function failedDelivery(webhookId: string, allow: DestinationAllowList): Promise<WebhookDelivery> {
      const { events } = await startDispatcher({ maxAttempts: 1 }, { allow });
      await sendMessage(events, 'one attempt only');
      let entry: WebhookDelivery | undefined;
      await expect
        .poll(async () => {
          [entry] = await deliveriesOf(webhookId);
          return entry?.status;
        }, settled)
        .toBe('failed');
      return entry!;
    }

    /** Every form names a place no webhook may reach unless the operator admits it. */
    const internalDestinations = [
      'http://127.0.0.1/hook',
      'http://localhost:8080/hook',
      'http://2130706433/hook',
      'http://0177.0.0.1/hook',
      'http://0x7f.1/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::ffff:7f00:1]/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://10.0.0.1/hook',
      'http://172.16.5.4/hook',
      'http://192.168.1.1/hook',
      'http://100.64.0.1/hook',
      'http://0.0.0.0/hook',
      'http://[::]/hook',
      'https://internal.example.test/hook',
      'https://mixed.example.test/hook',
    ];

    it('refuses to register a webhook for a loopback, private, link-local, metadata or other internal address, however spelt', async () => {
      dns.set('internal.example.test', ['10.0.0.5']);
      dns.set('mixed.example.test', [PUBLIC_ADDRESS, '127.0.0.1']);
      const before = (await call('GET', '/api/admin/webhooks', admin.token)).body.webhooks.length;
      let refused = 0;
      for (const url of internalDestinations) {
        const answer = await requestWebhook(url, strictApp);
        expect(answer, url).toMatchObject({
          status: 422,
          body: {
            error: {
              code: 'destination_refused',
              message: expect.stringMatching(/refused: .* address: .*PARLEY_WEBHOOK_ALLOW/),
            },
          },
        });
        refused += 1;
      }
      expect(refused).toBe(internalDestinations.length);
      expect((await call('GET', '/api/admin/webhooks', admin.token)).body.webhooks).toHaveLength(before);
    });

    it('names the address class and the host in a refusal of a name', async () => {
      dns.set('internal.example.test', ['10.0.0.5']);
      const answer = await requestWebhook('https://internal.example.test/hook', strictApp);
      expect(answer.body.error.message).toMatch(
        /^destination internal\.example\.test \(10\.0\.0\.5\) refused: private address: /,
      );
    });

    it('registers a webhook whose name resolves only to public addresses', async () => {
      dns.set('hooks.example.test', [PUBLIC_ADDRESS, '2606:4700:4700::1111']);
      const webhook = await register('https://hooks.example.test/parley', strictApp);
      expect(webhook).toMatchObject({ url: 'https://hooks.example.test/parley', disabledAt: null });
    });

    it('admits a receiver on 127.0.0.1 only through the allow-list', async () => {
      const endpoint = await receiver();
      const refused = await requestWebhook(endpoint.url, strictApp);
      expect(refused).toMatchObject({ status: 422, body: { error: { code: 'destination_refused' } } });
      expect(await register(endpoint.url, app)).toMatchObject({ url: endpoint.url });
    });

    it('does not deliver to a name that resolved public at registration and points at 127.0.0.1 since', async () => {
      const endpoint = await receiver();
      dns.set('rebinding.example.test', [PUBLIC_ADDRESS]);
      const webhook = await register(`http://rebinding.example.test:${endpoint.port}/parley-hook`, strictApp);
      dns.set('rebinding.example.test', ['127.0.0.1']);

      expect(await failedDelivery(webhook.id, allowNothing)).toMatchObject({
        attempts: 1,
        lastStatus: null,
        lastError: 'destination rebinding.example.test (127.0.0.1) refused: loopback address',
      });
      expect(endpoint.connections()).toBe(0);
    });

    it('does not connect to an IP literal that the allow-list no longer admits', async () => {
      const endpoint = await receiver();
      const webhook = await register(endpoint.url, app);

      // Parley restarted without the allow-list: the stored webhook is checked again on every attempt.
      expect(await failedDelivery(webhook.id, allowNothing)).toMatchObject({
        lastStatus: null,
        lastError: 'destination 127.0.0.1 refused: loopback address',
      });
      expect(endpoint.connections()).toBe(0);
    });

    it('logs the status of a refusing receiver and never what it answered', async () => {
      const secret = 'sk_live_51HxQ-database-password-hunter2';
      const endpoint = await receiver(() => ({ status: 500, body: `internal error: ${secret}` }));
      const webhook = await register(endpoint.url);

      expect(await failedDelivery(webhook.id, allowLoopbackReceivers)).toMatchObject({
        lastStatus: 500,
        lastError: 'HTTP 500',
      });
      const log = await call('GET', `/api/admin/webhooks/${webhook.id}/deliveries`, admin.token);
      expect(JSON.stringify(log.body)).not.toContain('sk_live');
      expect(endpoint.requests).toHaveLength(1);
    });

    it('follows no redirect: a 3xx is a failed attempt and its target hears nothing', async () => {
      const target = await receiver();
      const endpoint = await receiver(() => ({ status: 307, headers: { location: target.url } }));
      const webhook = await register(endpoint.url);

      expect(await failedDelivery(webhook.id, allowLoopbackReceivers)).toMatchObject({
        lastStatus: 307,
        lastError: 'HTTP 307',
      });
      expect(target.connections()).toBe(0);
    });
  });
});

describe('webhook destinations on a started server', () => {
  it('refuses a 127.0.0.1 webhook by default and admits it when PARLEY_WEBHOOK_ALLOW names its range', async () => {
    const storage = await createTestStorage('pglite');
    const body = { url: 'http://127.0.0.1:9/parley-hook', events: ['message.created'] };
    try {
      for (const [env, status] of [
        [{}, 422],
        [{ PARLEY_WEBHOOK_ALLOW: 'hooks.internal.example, 127.0.0.0/8' }, 201],
      ] as const) {
        const server = await startTestServer(storage, { env });
        try {
          const admin = await knownPerson(server.url, 'hook-admin', { ...axiom, role: 'admin' });
          const answer = await api(server.url, 'POST', '/api/admin/webhooks', { token: admin.token, body });
          expect(answer.status, JSON.stringify(answer.body)).toBe(status);
        } finally {
          await server.close();
        }
      }
    } finally {
      await storage.destroy();
    }
  });
});
