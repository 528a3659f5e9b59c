// Web push end to end on both drivers: the routes a browser calls (through the SDK) on a real server, which
// pushes over HTTPS to a push service double on 127.0.0.1 that checks the VAPID signature and decrypts
// each payload with the keys of the browser it stands for; the sender the notification ladder calls, on the
// same database; and the destination rule that keeps pushes off private and metadata addresses.
import ipaddr from 'ipaddr.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createPushNotifications } from '../../src/client/push.ts';
import type { PushDevice } from '../../src/protocol/push.ts';
import { createPushSender, pushRequests } from '../../src/server/domain/notifications/push.ts';
import { createDestinations } from '../../src/server/domain/outbound/destinations.ts';
import { axiom, knownPerson, type Person, request } from '../helpers/access.ts';
import { api } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { type PushService, startPushService } from '../helpers/push-service.ts';
import { createTestStorage, startTestServer } from '../helpers/server.ts';
import { useTestServer } from '../helpers/test-server.ts';

const SUBJECT = 'mailto:ops@parley.example';
/** Test notifications, emails and pushes together, per user per hour. */
const TESTS_PER_HOUR = 10;

const service: PushService = await startPushService();
afterAll(async () => {
  expect(service.rejected).toEqual([]);
  await service.close();
});

describe.each(testDrivers())('web push on %s', (driver) => {
  // The double's certificate is not the system's: the server is told to trust it, as PARLEY_PUSH_ALLOW
  // admits its loopback address.
  const parley = useTestServer(driver, {
    env: {
      PARLEY_PUSH_ALLOW: '127.0.0.1',
      PARLEY_VAPID_SUBJECT: SUBJECT,
    },
    pushCa: service.ca,
  });

  const person = (label: string) => knownPerson(parley.url, label, axiom);
  /** The SDK's web push for the token's user. */
  const pushOf = (token: string) => createPushNotifications(parley.url, async () => token);

  /** The sender as the composition root gives it to the ladder: the server's database and key pair. */
  async function ladderSender() {
    const [keys] = await parley.server.db.query<{ public_key: string; private_key: string }>(
      'select public_key, private_key from push_vapid_keys',
    );
    return createPushSender({
      db: parley.server.db,
      vapid: { publicKey: keys!.public_key, privateKey: keys!.private_key, subject: SUBJECT },
      destinations: createDestinations({
        allow: { hosts: [], ranges: [ipaddr.parseCIDR('127.0.0.1/32')] },
        requests: pushRequests,
      }),
      log: { warn: () => {} },
      ca: service.ca,
      iconUrl: () => `${parley.url}/icons/icon-192.png`,
    });
  }
  const subscribe = (who: Person, body: unknown) =>
    request(parley.url, 'POST', '/api/push/devices', { token: who.token, body });

  it('hands out one public key, signs with it and encrypts to the browser: the service reads the payload', async () => {
    const ana = await person('ana');
    const client = { push: pushOf(ana.token) };
    const publicKey = await client.push.publicKey();
    expect(publicKey).toMatch(/^B[A-Za-z0-9_-]{86}$/);

    const browser = service.subscribe();
    const device = await client.push.subscribe(browser.json, 'Work laptop');
    expect(device).toMatchObject({
      label: 'Work laptop',
      service: new URL(service.origin).host,
      failures: 0,
    });

    expect(await client.push.test()).toEqual({ delivered: 1, failed: 0 });
    const [push] = await service.pushes
      .waitFor(1)
      .then(() => service.pushes.received.filter((received) => received.subscriptionId === browser.id));
    expect(push?.payload).toEqual({
      title: 'Parley',
      body: 'Notifications work on this device.',
      tag: 'parley-test',
      renotify: true,
      url: './',
      conversationId: '',
      icon: `${parley.url}/icons/icon-192.png`,
    });
    // VAPID (RFC 8292): signed with the published key, for the endpoint's origin, expiring within 24 hours.
    const now = Math.floor(Date.now() / 1000);
    expect(push?.vapid).toMatchObject({ publicKey, alg: 'ES256' });
    expect(push?.vapid.claims).toMatchObject({ aud: service.origin, sub: SUBJECT });
    expect(push?.vapid.claims.exp).toBeGreaterThan(now);
    expect(push?.vapid.claims.exp).toBeLessThanOrEqual(now + 24 * 60 * 60);
    expect(push?.headers).toMatchObject({ ttl: String(6 * 60 * 60), urgency: 'high' });
    expect(push?.headers.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const [listed] = await client.push.devices();
    expect(listed?.id).toBe(device.id);
    expect(listed?.lastSuccessAt).not.toBeNull();
  });

  it('stores a subscription once however often the browser sends it, and moves an endpoint to its new user', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const browser = service.subscribe();
    const first = await subscribe(ana, { subscription: browser.json });
    const again = await subscribe(ana, { subscription: browser.json, label: 'Phone' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.device).toMatchObject({ id: first.body.device.id, label: 'Phone' });
    expect(first.body.device.userAgent).toEqual(expect.any(String));

    // Ben signs in on the same browser and turns notifications on: Ana's pushes no longer go there.
    const moved = await subscribe(ben, { subscription: browser.json });
    expect(moved.status).toBe(201);
    expect(await pushOf(ana.token).devices()).toEqual([]);
    expect((await pushOf(ben.token).devices()).map((device) => device.id)).toEqual([moved.body.device.id]);
    expect(await pushOf(ana.token).test()).toEqual({ delivered: 0, failed: 0 });
  });

  it.each([
    ['an http endpoint', { endpoint: 'http://push.example.com/1' }, 'subscription.endpoint'],
    [
      'an endpoint with credentials',
      { endpoint: 'https://user:pw@push.example.com/1' },
      'subscription.endpoint',
    ],
    ['a p256dh key of the wrong length', { keys: { p256dh: 'BAAA' } }, 'subscription.keys.p256dh'],
    ['a p256dh key off the curve', { keys: { p256dh: `B${'A'.repeat(86)}` } }, 'subscription.keys.p256dh'],
    ['an auth secret of the wrong length', { keys: { auth: 'AAAA' } }, 'subscription.keys.auth'],
    ['padded base64', { keys: { auth: 'AAAAAAAAAAAAAAAAAAAAAA==' } }, 'subscription.keys.auth'],
    ['an unknown field', { extra: true }, 'subscription'],
  ])('refuses %s with invalid_payload naming the field', async (_what, change, path) => {
    const ana = await person('ana');
    const { json } = service.subscribe();
    const subscription = {
      ...json,
      ...change,
      keys: { ...json.keys, ...(change as { keys?: object }).keys },
    };
    const answer = await subscribe(ana, { subscription });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_payload');
    expect(answer.body.error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
  });

  it('refuses a subscription without keys, a label too long, and an unauthenticated one', async () => {
    const ana = await person('ana');
    const { json } = service.subscribe();
    const bad = [
      { subscription: { endpoint: json.endpoint } },
      { subscription: json, label: 'x'.repeat(101) },
      { label: 'no subscription' },
    ];
    for (const body of bad) expect((await subscribe(ana, body)).status).toBe(400);
    expect(
      (await request(parley.url, 'POST', '/api/push/devices', { body: { subscription: json } })).status,
    ).toBe(401);
  });

  it('revokes a device of the user only: another user’s id or an unknown one is not found', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const device = (await subscribe(ana, { subscription: service.subscribe().json })).body
      .device as PushDevice;
    const path = `/api/push/devices/${device.id}`;
    expect((await request(parley.url, 'DELETE', path, { token: ben.token })).status).toBe(404);
    expect((await request(parley.url, 'DELETE', path, { token: ana.token })).status).toBe(204);
    const again = await request(parley.url, 'DELETE', path, { token: ana.token });
    expect([again.status, again.body.error.code]).toEqual([404, 'not_found']);
    expect((await request(parley.url, 'DELETE', '/api/push/devices/nope', { token: ana.token })).status).toBe(
      400,
    );
    await expect(pushOf(ana.token).revoke(device.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('drops a subscription the push service says is gone (410) and keeps counting other refusals', async () => {
    const ana = await person('ana');
    const client = { push: pushOf(ana.token) };
    const [gone, failing, fine] = [service.subscribe(), service.subscribe(), service.subscribe()];
    for (const browser of [gone, failing, fine]) await client.push.subscribe(browser.json);
    service.answer(gone.id, 410);
    service.answer(failing.id, 503);

    expect(await client.push.test()).toEqual({ delivered: 1, failed: 2 });
    const devices = await client.push.devices();
    expect(devices).toHaveLength(2);
    expect(devices.find((device) => device.failures === 1)?.lastFailureAt).not.toBeNull();
    expect(devices.filter((device) => device.failures === 0)).toHaveLength(1);
  });

  it('limits test notifications per user per hour', async () => {
    const ana = await person('ana');
    for (let n = 0; n < TESTS_PER_HOUR; n += 1) {
      expect((await request(parley.url, 'POST', '/api/push/test', { token: ana.token })).status).toBe(200);
    }
    const refused = await request(parley.url, 'POST', '/api/push/test', { token: ana.token });
    expect([refused.status, refused.body.error.code]).toEqual([429, 'rate_limited']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('pushes what the notification ladder asks to each device, cut to what a notification shows, one topic per tag', async () => {
    const ana = await person('ana');
    const client = { push: pushOf(ana.token) };
    const sender = await ladderSender();
    expect(await sender.hasDevices(ana.id)).toBe(false);
    expect(
      await sender.send(ana.id, { tag: 't', title: 't', body: 'b', url: './', conversationId: 'c' }),
    ).toEqual({
      delivered: 0,
      failed: 0,
    });

    const browsers = [service.subscribe(), service.subscribe()];
    for (const browser of browsers) await client.push.subscribe(browser.json);
    expect(await sender.hasDevices(ana.id)).toBe(true);
    const notification = {
      tag: 'conversation:c-1',
      title: 'Ben in #orders',
      body: 'x'.repeat(5000),
      url: './?conversation=c-1',
      conversationId: 'c-1',
    };
    expect(await sender.send(ana.id, notification)).toEqual({ delivered: 2, failed: 0 });
    const received = service.pushes.received.filter((push) =>
      browsers.some((browser) => browser.id === push.subscriptionId),
    );
    expect(received).toHaveLength(2);
    for (const push of received) {
      expect(push.payload).toMatchObject({
        title: 'Ben in #orders',
        tag: 'conversation:c-1',
        renotify: false,
        url: './?conversation=c-1',
        conversationId: 'c-1',
      });
      expect(push.payload.body.length).toBeLessThanOrEqual(600);
    }
    expect(received[0]?.headers.topic).toBe(received[1]?.headers.topic);
  });
});

describe('where pushes may go', () => {
  it('refuses loopback and metadata endpoints unless PARLEY_PUSH_ALLOW admits them, on a started server', async () => {
    const storage = await createTestStorage('pglite');
    try {
      const server = await startTestServer(storage, {});
      try {
        const ana = await knownPerson(server.url, 'ana', axiom);
        const { json } = service.subscribe();
        for (const endpoint of [json.endpoint, 'https://169.254.169.254/latest/push', 'https://[::1]/push']) {
          const answer = await api(server.url, 'POST', '/api/push/devices', {
            token: ana.token,
            body: { subscription: { ...json, endpoint } },
          });
          expect(answer.status, endpoint).toBe(422);
          expect(answer.body.error.code).toBe('destination_refused');
          expect(answer.body.error.message).toContain('PARLEY_PUSH_ALLOW');
        }
      } finally {
        await server.close();
      }
    } finally {
      await storage.destroy();
    }
  });

  it('keeps the generated key pair across restarts, so that subscriptions stay valid', async () => {
    const storage = await createTestStorage('pglite');
    try {
      const keys: string[] = [];
      for (let start = 0; start < 2; start += 1) {
        const server = await startTestServer(storage, {});
        try {
          const ana = await knownPerson(server.url, 'ana', axiom);
          keys.push((await api(server.url, 'GET', '/api/push/key', { token: ana.token })).body.publicKey);
        } finally {
          await server.close();
        }
      }
      expect(keys[0]).toMatch(/^B/);
      expect(keys[1]).toBe(keys[0]);
    } finally {
      await storage.destroy();
    }
  });
});
