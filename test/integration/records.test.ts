// Record threads: one per host record even when opened at the same instant, visible only to the
// organisations the host granted, fed by host back-ends through scoped, revocable API keys.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signRecordGrant } from '../../src/server/demo/tokens.ts';
import { axiom, createHostKey, knownPerson, northwind, oracare, tokenFor } from '../helpers/access.ts';
import { api, connect } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { collectMessages } from '../helpers/events.ts';
import { TEST_JWT_SECRET } from '../helpers/server.ts';
import { useTestServer } from '../helpers/test-server.ts';

const drivers = testDrivers();
const orgs = { axiom, oracare, northwind };

describe.each(drivers)('record threads on %s', (driver) => {
  const parley = useTestServer(driver);
  let adminToken: string;
  let hostKey: string;

  const person = (orgId: keyof typeof orgs, role: 'admin' | 'member' | 'viewer' = 'member') =>
    knownPerson(parley.url, `${orgId}-${role}`, { ...orgs[orgId], role, email: null });
  const declare = (type: string, id: string, body: object, key = hostKey) =>
    api(parley.url, 'PUT', `/api/records/${type}/${id}`, { token: key, body });
  const open = (token: string, body: object) => api(parley.url, 'POST', '/api/records/open', { token, body });

  beforeAll(async () => {
    adminToken = (await person('axiom', 'admin')).token;
    hostKey = await createHostKey(parley.url, adminToken);
  });

  it('creates exactly one thread when many people open a declared record at the same instant', async () => {
    const orderId = String(Math.floor(Math.random() * 1e9));
    expect(
      (
        await declare('order', orderId, {
          title: `Order #${orderId}`,
          orgIds: ['axiom', 'oracare'],
          context: { Status: 'packed' },
        })
      ).status,
    ).toBe(200);
    const people = await Promise.all(
      Array.from({ length: 8 }, (_, i) => person(i % 2 ? 'axiom' : 'oracare')),
    );
    const opened = await Promise.all(people.map((p) => open(p.token, { type: 'order', id: orderId })));
    expect(opened.map((r) => r.status)).toEqual(people.map(() => 200));
    expect(new Set(opened.map((r) => r.body.conversation.id)).size).toBe(1);
    expect(opened[0]?.body.conversation).toMatchObject({
      kind: 'record',
      record: {
        type: 'order',
        id: orderId,
        title: `Order #${orderId}`,
        context: { Status: 'packed' },
        status: 'open',
      },
    });
  });

  it('creates exactly one thread when two people open an undeclared record with grants at the same instant', async () => {
    const orderId = String(Math.floor(Math.random() * 1e9));
    const grant = await signRecordGrant(
      TEST_JWT_SECRET,
      { record: { type: 'order', id: orderId }, orgs: ['axiom', 'oracare'], title: 'Order' },
      60,
    );
    const [a, b] = [await person('axiom'), await person('oracare')];
    const [ra, rb] = await Promise.all([
      open(a.token, { type: 'order', id: orderId, grant }),
      open(b.token, { type: 'order', id: orderId, grant }),
    ]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect(ra.body.conversation.id).toBe(rb.body.conversation.id);
    const rows = await parley.server.db.query('select 1 from records where type = $1 and id = $2', [
      'order',
      orderId,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('never opens a thread the host did not grant to the user organisation', async () => {
    const orderId = String(Math.floor(Math.random() * 1e9));
    const vendor = await person('northwind');
    const grantForClient = await signRecordGrant(
      TEST_JWT_SECRET,
      { record: { type: 'order', id: orderId }, orgs: ['axiom', 'oracare'], title: 'Order' },
      60,
    );
    const forged = await signRecordGrant(
      'another-secret-that-is-long-enough-to-sign!!',
      { record: { type: 'order', id: orderId }, orgs: ['northwind'], title: 'Order' },
      60,
    );
    const expired = await signRecordGrant(
      TEST_JWT_SECRET,
      { record: { type: 'order', id: orderId }, orgs: ['northwind'], title: 'Order' },
      -120,
    );
    const otherRecord = await signRecordGrant(
      TEST_JWT_SECRET,
      { record: { type: 'order', id: `${orderId}9` }, orgs: ['northwind'], title: 'Order' },
      60,
    );

    expect((await open(vendor.token, { type: 'order', id: orderId })).status).toBe(404);
    expect((await open(vendor.token, { type: 'order', id: orderId, grant: grantForClient })).status).toBe(
      404,
    );
    expect((await open(vendor.token, { type: 'order', id: orderId, grant: forged })).status).toBe(401);
    expect((await open(vendor.token, { type: 'order', id: orderId, grant: expired })).status).toBe(401);
    expect((await open(vendor.token, { type: 'order', id: orderId, grant: otherRecord })).status).toBe(403);
    const hostToken = await tokenFor(vendor, { displayName: 'v' }, 60);
    expect((await open(vendor.token, { type: 'order', id: orderId, grant: hostToken })).status).toBe(401);
  });

  it('takes members out the moment the host narrows who may see the record', async () => {
    const orderId = String(Math.floor(Math.random() * 1e9));
    await declare('order', orderId, { title: 'Order', orgIds: ['axiom', 'oracare'] });
    const client = await person('oracare');
    const conversationId = (await open(client.token, { type: 'order', id: orderId })).body.conversation.id;
    const socket = await connect(parley.url, client.token);
    try {
      const left = new Promise((resolve) => socket.on('conversation:left', resolve));
      await declare('order', orderId, { title: 'Order', orgIds: ['axiom'] });
      expect(await left).toEqual({ conversationId });
      expect(
        (
          await api(parley.url, 'GET', `/api/conversations/${conversationId}/messages`, {
            token: client.token,
          })
        ).status,
      ).toBe(404);
    } finally {
      socket.close();
    }
  });

  it('posts host events into the thread as events, live to its members', async () => {
    const orderId = String(Math.floor(Math.random() * 1e9));
    await declare('order', orderId, { title: 'Order', orgIds: ['axiom', 'oracare'] });
    const client = await person('oracare');
    await open(client.token, { type: 'order', id: orderId });
    const socket = await connect(parley.url, client.token);
    const inbox = collectMessages(socket);
    try {
      const posted = await api(parley.url, 'POST', `/api/records/order/${orderId}/messages`, {
        token: hostKey,
        body: { body: `Order #${orderId} shipped — UPS 1Z999AA10123456784`, clientMsgId: `ship-${orderId}` },
      });
      expect(posted.status).toBe(201);
      expect(posted.body.message).toMatchObject({ kind: 'event', seq: 1 });
      const [live] = await inbox.waitFor(1);
      expect(live).toEqual(posted.body.message);
      const again = await api(parley.url, 'POST', `/api/records/order/${orderId}/messages`, {
        token: hostKey,
        body: { body: `Order #${orderId} shipped — UPS 1Z999AA10123456784`, clientMsgId: `ship-${orderId}` },
      });
      expect(again.body.message).toEqual(posted.body.message);
    } finally {
      socket.close();
    }
  });

  it('keeps a closed thread readable and read-only, or reopens it on activity when the host allows', async () => {
    const orderId = String(Math.floor(Math.random() * 1e9));
    const staff = await person('axiom');
    await declare('order', orderId, { title: 'Order', orgIds: ['axiom'] });
    const conversationId = (await open(staff.token, { type: 'order', id: orderId })).body.conversation.id;
    const say = (body: string) =>
      api(parley.url, 'POST', `/api/conversations/${conversationId}/messages`, {
        token: staff.token,
        body: { clientMsgId: randomUUID(), body },
      });
    expect((await say('before closing')).status).toBe(201);

    await declare('order', orderId, {
      title: 'Order',
      orgIds: ['axiom'],
      status: 'closed',
      reopenOnActivity: false,
    });
    expect((await say('after closing')).body.error.code).toBe('forbidden');
    expect(
      (await api(parley.url, 'GET', `/api/conversations/${conversationId}/messages`, { token: staff.token }))
        .body.messages,
    ).toHaveLength(1);

    await declare('order', orderId, {
      title: 'Order',
      orgIds: ['axiom'],
      status: 'closed',
      reopenOnActivity: true,
    });
    expect((await say('reopening')).status).toBe(201);
    await expect
      .poll(
        async () =>
          (await api(parley.url, 'GET', `/api/records/order/${orderId}`, { token: hostKey })).body.record
            .status,
      )
      .toBe('open');
  });

  it('limits API keys to their scopes, lets only internal admins create them, and honours revocation at once', async () => {
    const member = await person('axiom', 'member');
    expect(
      (
        await api(parley.url, 'POST', '/api/admin/api-keys', {
          token: member.token,
          body: { name: 'x', scopes: ['records:write'] },
        })
      ).status,
    ).toBe(403);
    const writeOnly = await api(parley.url, 'POST', '/api/admin/api-keys', {
      token: adminToken,
      body: { name: 'writer', scopes: ['records:write'] },
    });
    const orderId = String(Math.floor(Math.random() * 1e9));
    expect(
      (await declare('order', orderId, { title: 'Order', orgIds: ['axiom'] }, writeOnly.body.key)).status,
    ).toBe(200);
    const refused = await api(parley.url, 'POST', `/api/records/order/${orderId}/messages`, {
      token: writeOnly.body.key,
      body: { body: 'hi' },
    });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);

    const revoked = await fetch(`${parley.url}/api/admin/api-keys/${writeOnly.body.apiKey.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(revoked.status).toBe(204);
    expect(
      (await declare('order', orderId, { title: 'Order', orgIds: ['axiom'] }, writeOnly.body.key)).status,
    ).toBe(401);
    for (const bad of ['', 'pk_nothing.here', `${hostKey.slice(0, -2)}xx`, adminToken]) {
      expect(
        (await declare('order', orderId, { title: 'Order', orgIds: ['axiom'] }, bad as string)).status,
        String(bad).slice(0, 12),
      ).toBe(401);
    }
    const listed = await api(parley.url, 'GET', '/api/admin/api-keys', { token: adminToken });
    expect(JSON.stringify(listed.body)).not.toContain('secret');
  });
});
