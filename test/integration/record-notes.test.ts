// Internal notes on a record thread: written next to the thread's messages, seen only by the company's own
// people by every path (live, history, sync, webhooks), and following the host's say on who may see the record.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDeliveryBody } from '../../src/protocol/webhooks.ts';
import {
  axiom,
  createHostKey,
  knownPerson,
  northwind,
  oracare,
  type Person,
  request,
} from '../helpers/access.ts';
import { api, connect, sendOnSocket } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { collectMessages, nextEvent } from '../helpers/events.ts';
import { connected, sdkClient, until } from '../helpers/sdk.ts';
import { useTestServer } from '../helpers/test-server.ts';

const drivers = testDrivers();

describe.each(drivers)('internal notes on record threads on %s', (driver) => {
  // The webhook test's receiver listens on 127.0.0.1, which only the operator's allow-list admits.
  const parley = useTestServer(driver, { env: { PARLEY_WEBHOOK_ALLOW: '127.0.0.1/32' } });
  let hostKey: string;

  const declare = (id: string, orgIds: string[], context: Record<string, string> = {}) =>
    api(parley.url, 'PUT', `/api/records/order/${id}`, {
      token: hostKey,
      body: { title: `Order #${id}`, orgIds, context },
    });
  const open = async (person: Person, id: string) => {
    const opened = await api(parley.url, 'POST', '/api/records/open', {
      token: person.token,
      body: { type: 'order', id },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    return opened.body as { conversation: { id: string }; notes: { id: string; audience: unknown } | null };
  };
  const newOrder = async (orgIds = ['axiom', 'oracare', 'northwind']) => {
    const id = String(Math.floor(Math.random() * 1e9));
    expect((await declare(id, orgIds)).status).toBe(200);
    return id;
  };

  beforeAll(async () => {
    const admin = await knownPerson(parley.url, 'host-admin', { ...axiom, role: 'admin' });
    hostKey = await createHostKey(parley.url, admin.token);
  });

  it('gives the company its notes on open, and the client and the manufacturer none', async () => {
    const orderId = await newOrder();
    const staff = await knownPerson(parley.url, 'staff', axiom);
    const client = await knownPerson(parley.url, 'client', oracare);
    const maker = await knownPerson(parley.url, 'maker', northwind);
    const mine = await open(staff, orderId);
    expect(mine.notes).not.toBeNull();
    expect(mine.notes?.audience).toEqual([{ id: 'axiom', name: 'axiom', kind: 'internal' }]);
    expect((await open(client, orderId)).notes).toBeNull();
    expect((await open(maker, orderId)).notes).toBeNull();
  });

  it('delivers a note live only to the company and leaves no gap in what the others see', async () => {
    const orderId = await newOrder();
    const writer = await knownPerson(parley.url, 'writer', axiom);
    const colleague = await knownPerson(parley.url, 'colleague', axiom);
    const client = await knownPerson(parley.url, 'client', oracare);
    const { conversation, notes } = await open(writer, orderId);
    await open(colleague, orderId);
    await open(client, orderId);
    const writerSocket = await connect(parley.url, writer.token);
    const colleagueSocket = await connect(parley.url, colleague.token);
    const clientSocket = await connect(parley.url, client.token);
    const colleagueSees = collectMessages(colleagueSocket);
    const clientSees = collectMessages(clientSocket);

    const secret = `margin on this order is thin ${randomUUID()}`;
    expect((await sendOnSocket(writerSocket, { conversationId: notes!.id, body: secret })).ok).toBe(true);
    for (const n of [1, 2]) {
      const ack = await sendOnSocket(writerSocket, { conversationId: conversation.id, body: `update ${n}` });
      expect(ack.ok).toBe(true);
    }
    await colleagueSees.waitFor(3);
    await clientSees.waitFor(2);

    expect(colleagueSees.received.map((m) => m.body)).toEqual([secret, 'update 1', 'update 2']);
    expect(clientSees.received.map((m) => [m.conversationId, m.seq, m.body])).toEqual([
      [conversation.id, 1, 'update 1'],
      [conversation.id, 2, 'update 2'],
    ]);
    const history = await api(parley.url, 'GET', `/api/conversations/${conversation.id}/messages`, {
      token: client.token,
    });
    expect(JSON.stringify(history.body)).not.toContain(secret);
    const sync = await clientSocket.emitWithAck('sync', {
      cursors: { [conversation.id]: 0, [notes!.id]: 0 },
    });
    expect(sync.ok).toBe(true);
    expect(JSON.stringify(sync)).not.toContain(secret);
    expect(sync.ok && sync.removed).toContain(notes!.id);
    const listed = await api(parley.url, 'GET', '/api/conversations', { token: client.token });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    for (const socket of [writerSocket, colleagueSocket, clientSocket]) socket.close();
  });

  it('refuses a note from the client as if the notes did not exist', async () => {
    const orderId = await newOrder();
    const staff = await knownPerson(parley.url, 'staff', axiom);
    const client = await knownPerson(parley.url, 'client', oracare);
    const { notes } = await open(staff, orderId);
    await open(client, orderId);
    const path = `/api/conversations/${notes!.id}`;
    const attempts = [
      await api(parley.url, 'POST', `${path}/messages`, {
        token: client.token,
        body: { clientMsgId: randomUUID(), body: 'let me in' },
      }),
      await api(parley.url, 'POST', `${path}/join`, { token: client.token }),
      await api(parley.url, 'GET', `${path}/messages`, { token: client.token }),
      await api(parley.url, 'POST', `${path}/members`, {
        token: staff.token,
        body: { userIds: [client.id] },
      }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([404, 404, 404, 403]);
  });

  it('creates one notes conversation when colleagues open the thread at the same instant', async () => {
    const orderId = await newOrder();
    const staff = await Promise.all(
      Array.from({ length: 8 }, (_, i) => knownPerson(parley.url, `staff-${i}`, axiom)),
    );
    const opened = await Promise.all(staff.map((person) => open(person, orderId)));
    expect(new Set(opened.map((o) => o.notes?.id)).size).toBe(1);
    const members = await api(parley.url, 'GET', `/api/conversations/${opened[0]!.notes!.id}`, {
      token: staff[0]!.token,
    });
    expect(members.body.conversation.memberCount).toBe(staff.length);
  });

  it('takes the company out of its notes when the host stops admitting it, and back with its notes later', async () => {
    const orderId = await newOrder();
    const staff = await knownPerson(parley.url, 'staff', axiom);
    const { notes } = await open(staff, orderId);
    const socket = await connect(parley.url, staff.token);
    expect((await sendOnSocket(socket, { conversationId: notes!.id, body: 'kept for later' })).ok).toBe(true);
    const left = nextEvent(socket, 'conversation:left', (p) => p.conversationId === notes!.id);
    expect((await declare(orderId, ['oracare'])).status).toBe(200);
    await left;
    const read = await api(parley.url, 'GET', `/api/conversations/${notes!.id}/messages`, {
      token: staff.token,
    });
    expect(read.status).toBe(404);

    expect((await declare(orderId, ['axiom', 'oracare'])).status).toBe(200);
    const again = await open(staff, orderId);
    expect(again.notes?.id).toBe(notes!.id);
    const back = await api(parley.url, 'GET', `/api/conversations/${notes!.id}/messages`, {
      token: staff.token,
    });
    expect(back.body.messages.map((m: { body: string }) => m.body)).toEqual(['kept for later']);
    socket.close();
  });

  it('marks a note as internal, with its audience and record, in what webhooks carry', async () => {
    const received: WebhookDeliveryBody<'message.created'>[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    const admin = await knownPerson(parley.url, 'hook-admin', { ...axiom, role: 'admin' });
    const hook = await api(parley.url, 'POST', '/api/admin/webhooks', {
      token: admin.token,
      body: { url: `http://127.0.0.1:${port}/hook`, events: ['message.created'] },
    });
    expect(hook.status).toBe(201);
    const orderId = await newOrder(['axiom', 'oracare']);
    const staff = await knownPerson(parley.url, 'staff', axiom);
    const { conversation, notes } = await open(staff, orderId);
    const socket = await connect(parley.url, staff.token);
    expect((await sendOnSocket(socket, { conversationId: notes!.id, body: 'internal only' })).ok).toBe(true);
    expect((await sendOnSocket(socket, { conversationId: conversation.id, body: 'for everyone' })).ok).toBe(
      true,
    );
    await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const about = (body: string) => received.find((r) => r.data.message.body === body)?.data.conversation;
    expect(about('internal only')).toEqual({
      id: notes!.id,
      kind: 'notes',
      record: { type: 'order', id: orderId },
      audienceOrgIds: ['axiom'],
      internalNote: true,
    });
    expect(about('for everyone')).toMatchObject({
      internalNote: false,
      audienceOrgIds: ['axiom', 'oracare'],
    });
    socket.close();
    await request(parley.url, 'DELETE', `/api/admin/webhooks/${hook.body.webhook.id}`, {
      token: admin.token,
    });
    receiver.close();
  });

  it('shows the host changing the record card live to everyone in the thread, through the SDK', async () => {
    const orderId = await newOrder(['axiom', 'oracare']);
    const client = await knownPerson(parley.url, 'client', oracare);
    const { conversation } = await open(client, orderId);
    const sdk = await connected(sdkClient(parley.url, client.token));
    const card = () => sdk.conversations.find((c) => c.id === conversation.id)?.record?.context;
    await until(sdk, () => card() !== undefined, 10_000, 'the thread in the list');
    expect((await declare(orderId, ['axiom', 'oracare'], { Status: 'shipped' })).status).toBe(200);
    await until(sdk, () => card()?.Status === 'shipped', 10_000, 'the new status on the card');
    sdk.close();
  });
});
