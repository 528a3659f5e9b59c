// A member's network drops for five seconds while everyone, that member included, keeps sending: once the
// link is back the client reconnects by itself, catches up, and its outbox delivers what it typed offline,
// so that every client holds every message once, in seq order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyClient } from '../../src/client/index.ts';
import { postgresServerAvailable } from '../helpers/drivers.ts';
import { expectEveryMessageOnce, trackedSender } from '../helpers/fault-counts.ts';
import {
  channelOf,
  connectAndOpen,
  faultClient,
  members,
  sendSteadily,
  sleep,
  untilEveryoneHoldsAll,
} from '../helpers/fault-load.ts';
import { until, untilAll } from '../helpers/sdk.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { useTestServer } from '../helpers/test-server.ts';

const CUT_MS = 5000;
/** The cut member's sends: a few before the cut, the rest while it is offline. */
const CUT_MEMBER_SENDS = 50;
const OTHER_MEMBERS = 2;
const OTHER_SENDS_EACH = 200;
const TOTAL = CUT_MEMBER_SENDS + OTHER_MEMBERS * OTHER_SENDS_EACH;

describe.runIf(postgresServerAvailable)('a network drop between one member and the server', () => {
  const parley = useTestServer('postgres');
  let proxy: TcpProxy;
  const clients: ParleyClient[] = [];

  beforeAll(async () => {
    proxy = await startTcpProxy(Number(new URL(parley.url).port));
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await proxy?.close();
  });

  it('reconnects, catches up and delivers what was typed offline exactly once', async () => {
    const started = Date.now();
    const users = await members(parley.url, 'netdrop', OTHER_MEMBERS + 1);
    const [cutUser, ...others] = users;
    const channel = await channelOf(parley.url, cutUser!, others);

    clients.push(faultClient(proxy.url, cutUser!.token));
    for (const user of others) clients.push(faultClient(parley.url, user.token));
    const cutClient = clients[0]!;
    const senders = clients.map(trackedSender);
    const cutSender = senders[0]!;
    let disconnects = 0;
    cutClient.on('status', (status) => {
      if (status === 'connecting') disconnects++;
    });
    const deliveries = await connectAndOpen(clients, channel);
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

    await untilEveryoneHoldsAll(clients, channel, TOTAL, 30_000);

    const stored = await expectEveryMessageOnce({
      test: 'network-drop',
      databaseUrl: parley.storage.env.DATABASE_URL!,
      logs: senders.map((sender) => sender.log),
      views: clients.map((client, i) => ({ client, conversationId: channel, deliveries: deliveries[i] })),
      perConversation: TOTAL,
      extra: {
        members: clients.length,
        ackedAtCut,
        sentWhileCut,
        ackedWhileCut,
        disconnects,
        reconnectedAfterMs,
        seconds: ((Date.now() - started) / 1000).toFixed(1),
      },
    });
    expect(disconnects).toBeGreaterThan(0);
    expect(sentWhileCut).toBeGreaterThan(0);
    // The outbox keeps a conversation's messages in the order they were typed, across the drop.
    const typed = [...cutSender.log.sent];
    const storedOrder = (stored.get(channel) ?? [])
      .filter((message) => message.senderId === cutUser!.id)
      .map((message) => message.clientMsgId);
    expect(storedOrder).toEqual(typed);
  }, 90_000);
});
