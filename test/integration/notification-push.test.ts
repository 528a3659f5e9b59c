// The push rung of the ladder end to end, on both drivers: a real server pushes over HTTPS to a push-service
// double on 127.0.0.1 that checks the VAPID signature and decrypts every payload with the browser's keys.
// The delays pass by moving a step's due time to now in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../../src/server/app.ts';
import { axiom, knownPerson, northwind, type Person, request } from '../helpers/access.ts';
import { api, connect } from '../helpers/clients.ts';
import { openDirectBoth, postMessage } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import {
  eventually,
  type NotifyingServer,
  sleep,
  startNotifyingServer,
} from '../helpers/notifying-server.ts';
import { type PushService, startPushService } from '../helpers/push-service.ts';

const LINK = 'https://dash.example.test/chat?c={conversationId}';

describe.each(testDrivers())('push notifications on %s', (driver) => {
  let notifying: NotifyingServer;
  let server: ParleyServer;
  let url: string;
  let service: PushService;

  beforeAll(async () => {
    service = await startPushService();
    notifying = await startNotifyingServer(driver, {
      env: { PARLEY_LINK_TEMPLATE: LINK, PARLEY_PUSH_ALLOW: '127.0.0.1' },
      pushCa: service.ca,
    });
    ({ server, url } = notifying);
  });

  afterAll(async () => {
    await notifying?.close();
    expect(service?.rejected).toEqual([]);
    await service?.close();
  });

  /** Bob, away, with one browser subscribed; Alice, who writes to him. */
  async function subscribedPair(label: string) {
    const alice = await knownPerson(url, `alice-${label}`, { ...axiom, displayName: 'Alice Chen' });
    const bob = await knownPerson(url, `bob-${label}`, { ...northwind, displayName: 'Bob Kraus' });
    const browser = service.subscribe();
    const subscribed = await request(url, 'POST', '/api/push/devices', {
      token: bob.token,
      body: { subscription: browser.json, label: 'Laptop' },
    });
    expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(201);
    const dm = await openDirectBoth(url, alice, bob);
    return { alice, bob, browser, dmId: dm.id };
  }

  const pushesTo = (subscriptionId: string) =>
    service.pushes.received.filter((push) => push.subscriptionId === subscriptionId);

  /** Makes the user's armed push step due now, once it is armed. */
  async function pushDueNow(person: Person): Promise<void> {
    await eventually('an armed push step', async () => {
      const rows = await server.db.query(
        `update notification_steps set due_at = now() where user_id = $1 and step = 'push' and status = 'pending'
         returning 1`,
        [person.id],
      );
      return rows.length > 0 ? true : undefined;
    });
  }

  it('pushes once to an away user, tagged by conversation, with the edited text and a link to it', async () => {
    const { alice, bob, browser, dmId } = await subscribedPair('once');
    const sent = await postMessage(url, alice, dmId, 'Truck at dock 3 at 4 pn');
    const edit = await api(url, 'PATCH', `/api/messages/${sent.id}`, {
      token: alice.token,
      body: { body: 'Truck at dock 3 at 4 pm', mentions: [] },
    });
    expect(edit.status).toBe(200);
    await pushDueNow(bob);
    const [push] = await eventually('the push', async () => {
      const received = pushesTo(browser.id);
      return received.length > 0 ? received : undefined;
    });
    expect(push?.payload).toMatchObject({
      title: 'Alice Chen',
      body: 'Truck at dock 3 at 4 pm',
      tag: `conversation:${dmId}`,
      url: LINK.replace('{conversationId}', dmId),
    });
    // Told once: more messages push nothing until Bob is back or reads.
    await postMessage(url, alice, dmId, 'Gate code 4411');
    await sleep(400);
    expect(pushesTo(browser.id)).toHaveLength(1);
  });

  it('pushes nothing after a read on any device, and nothing to an active user', async () => {
    const { alice, bob, browser, dmId } = await subscribedPair('read');
    const message = await postMessage(url, alice, dmId, 'read me elsewhere');
    await eventually('an armed push step', async () =>
      (
        await server.db.query(`select 1 from notification_steps where user_id = $1 and status = 'pending'`, [
          bob.id,
        ])
      ).length > 0
        ? true
        : undefined,
    );
    const read = await api(url, 'POST', `/api/conversations/${dmId}/read`, {
      token: bob.token,
      body: { seq: message.seq },
    });
    expect(read.status).toBe(200);
    await server.db.query(`update notification_steps set due_at = now() where user_id = $1`, [bob.id]);
    await sleep(400);
    expect(pushesTo(browser.id)).toHaveLength(0);

    const socket = await connect(url, bob.token);
    await postMessage(url, alice, dmId, 'while you are here');
    await pushDueNow(bob);
    await sleep(400);
    expect(pushesTo(browser.id)).toHaveLength(0);
    socket.disconnect();
  });

  it('arms no push for a user without a device, and drops a device the service says is gone', async () => {
    const alice = await knownPerson(url, 'alice-none', axiom);
    const carol = await knownPerson(url, 'carol-none', axiom);
    const dm = await openDirectBoth(url, alice, carol);
    await postMessage(url, alice, dm.id, 'hello');
    await sleep(300);
    const armed = await server.db.query(`select step from notification_steps where user_id = $1`, [carol.id]);
    expect(armed.map((row) => row.step)).toEqual(['email']);

    const { alice: sender, bob, browser, dmId } = await subscribedPair('gone');
    service.answer(browser.id, 410);
    await postMessage(url, sender, dmId, 'to a browser that unsubscribed');
    await pushDueNow(bob);
    await eventually('the device to be removed', async () =>
      (await server.db.query('select 1 from push_subscriptions where user_id = $1', [bob.id])).length === 0
        ? true
        : undefined,
    );
  });
});
