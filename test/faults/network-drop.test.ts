// A member's network drops for five seconds while everyone, that member included, keeps sending: once the
// link is back the client reconnects by itself, catches up, and its outbox delivers what it typed offline,
// so that every client holds every message once, in seq order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage, type ParleyClient } from '../../src/client/index.ts';
import type { ParleyServer } from '../../src/server/app.ts';
import { postgresServerAvailable } from '../helpers/drivers.ts';
import {
  comparable,
  countDelivery,
  deliveryLog,
  formatCounts,
  storedMessages,
  trackedSender,
} from '../helpers/fault-counts.ts';
import { connected, range, sdkClient, seqsOf, until } from '../helpers/sdk.ts';
import { createTestStorage, startTestServer, type TestStorage } from '../helpers/server.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { channelOf, clientStates, members, sendSteadily, sleep, untilAll } from './fixtures.ts';

const CUT_MS = 5000;
/** The cut member's sends: a few before the cut, the rest while it is offline. */
const CUT_MEMBER_SENDS = 50;
const OTHER_MEMBERS = 2;
const OTHER_SENDS_EACH = 200;
const TOTAL = CUT_MEMBER_SENDS + OTHER_MEMBERS * OTHER_SENDS_EACH;

describe.runIf(postgresServerAvailable)('a network drop between one member and the server', () => {
  let storage: TestStorage;
  let server: ParleyServer;
  let proxy: TcpProxy;
  const clients: ParleyClient[] = [];

  beforeAll(async () => {
    storage = await createTestStorage('postgres');
    server = await startTestServer(storage);
    proxy = await startTcpProxy(Number(new URL(server.url).port));
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await proxy?.close();
    await server?.close();
    await storage?.destroy();
  });

  it('reconnects, catches up and delivers what was typed offline exactly once', async () => {
    const started = Date.now();
    const users = await members(server.url, 'netdrop', OTHER_MEMBERS + 1);
    const [cutUser, ...others] = users;
    const channel = await channelOf(server.url, cutUser!, others);

    clients.push(sdkClient(proxy.url, cutUser!.token, { storage: memoryStorage(), ackTimeoutMs: 3000 }));
    for (const user of others) {
      clients.push(sdkClient(server.url, user.token, { storage: memoryStorage(), ackTimeoutMs: 3000 }));
    }
    const cutClient = clients[0]!;
    const senders = clients.map(trackedSender);
    const cutSender = senders[0]!;
    let disconnects = 0;
    cutClient.on('status', (status) => {
      if (status === 'connecting') disconnects++;
    });
    await Promise.all(clients.map(connected));
    await Promise.all(clients.map((client) => client.open(channel)));
    const deliveries = clients.map(deliveryLog);
    disconnects = 0;

    const sending = Promise.all(
      senders.map((sender, i) =>
        sendSteadily(
          (body) => sender.send(channel, body),
          `member ${i + 1}`,
          i === 0 ? CUT_MEMBER_SENDS : OTHER_SENDS_EACH,
        ),
      ),
    );
    await untilAll(
      clients,
      () => cutSender.log.acked.size >= 10,
      15_000,
      'ten sends of the cut member acknowledged',
    );
    proxy.cut();
    const ackedAtCut = cutSender.log.acked.size;
    const sentAtCut = cutSender.log.sent.size;
    await sleep(CUT_MS);
    const sentWhileCut = cutSender.log.sent.size - sentAtCut;
    const ackedWhileCut = cutSender.log.acked.size - ackedAtCut;
    proxy.restore();
    const restoredAt = Date.now();
    await until(cutClient, () => cutClient.status === 'connected', 15_000, 'reconnected after the drop');
    const reconnectedAfterMs = Date.now() - restoredAt;
    await sending;

    await untilAll(
      clients,
      () => clients.every((client) => client.pending.length === 0 && client.cursor(channel) >= TOTAL),
      30_000,
      'every outbox drained and every client holding every message',
      () => clientStates(clients, channel),
    );

    const stored = await storedMessages(storage.env.DATABASE_URL!, [channel]);
    const counts = countDelivery(
      senders.map((sender) => sender.log),
      stored,
      clients.map((client, i) => ({ client, conversationId: channel, deliveries: deliveries[i] })),
    );
    console.log(
      formatCounts('network-drop', counts, {
        members: clients.length,
        ackedAtCut,
        sentWhileCut,
        ackedWhileCut,
        disconnects,
        reconnectedAfterMs,
        seconds: ((Date.now() - started) / 1000).toFixed(1),
      }),
    );

    expect(disconnects).toBeGreaterThan(0);
    expect(sentWhileCut).toBeGreaterThan(0);
    expect(counts).toMatchObject({ sent: TOTAL, acked: TOTAL, stored: TOTAL });
    expect(counts).toMatchObject({ lost: 0, ackedLost: 0, duplicates: 0, gaps: 0, mismatches: 0 });
    const expected = (stored.get(channel) ?? []).map(comparable);
    for (const client of clients) {
      expect(seqsOf(client, channel)).toEqual(range(1, TOTAL));
      expect(client.messages(channel).map(comparable)).toEqual(expected);
    }
    // The outbox keeps a conversation's messages in the order they were typed, across the drop.
    const typed = [...cutSender.log.sent];
    const storedOrder = (stored.get(channel) ?? [])
      .filter((message) => message.senderId === cutUser!.id)
      .map((message) => message.clientMsgId);
    expect(storedOrder).toEqual(typed);
  }, 90_000);
});
