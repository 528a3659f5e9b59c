// A server killed with SIGKILL while twenty members send loses nothing it acknowledged and stores nothing
// twice: every member's client ends up holding every message once, in seq order, as the database has them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage, type ParleyClient } from '../../src/client/index.ts';
import { type ChildServer, killAllChildServers, startChildServer } from '../helpers/child-server.ts';
import { postgresServerAvailable } from '../helpers/drivers.ts';
import {
  comparable,
  countDelivery,
  deliveryLog,
  formatCounts,
  storedMessages,
  trackedSender,
} from '../helpers/fault-counts.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { connected, range, sdkClient, seqsOf } from '../helpers/sdk.ts';
import { channelOf, clientStates, members, sendSteadily, sleep, untilAll } from './fixtures.ts';

const MEMBERS = 20;
const SENDS_EACH = 25;
const TOTAL = MEMBERS * SENDS_EACH;

describe.runIf(postgresServerAvailable)('a Parley crash under load', () => {
  let database: TestDatabase;
  let server: ChildServer;
  const clients: ParleyClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startChildServer({ env: { DATABASE_URL: database.url } });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await killAllChildServers();
    await database?.drop();
  });

  it('loses no acknowledged message and duplicates none when the server is killed mid-run', async () => {
    const started = Date.now();
    const users = await members(server.url, 'crash', MEMBERS);
    const [creator, ...others] = users;
    const channel = await channelOf(server.url, creator!, others);

    for (const user of users) {
      clients.push(sdkClient(server.url, user.token, { storage: memoryStorage(), ackTimeoutMs: 3000 }));
    }
    const senders = clients.map(trackedSender);
    // Everything the clients reported and handled by retrying: dropped connections, refused reconnects, timeouts.
    let clientErrors = 0;
    for (const client of clients) client.on('error', () => clientErrors++);
    await Promise.all(clients.map(connected));
    // Opened, so each client keeps the channel gap-free from seq 1 across reconnects.
    await Promise.all(clients.map((client) => client.open(channel)));
    const deliveries = clients.map(deliveryLog);

    const ackedSoFar = () => senders.reduce((sum, sender) => sum + sender.log.acked.size, 0);
    const sending = Promise.all(
      senders.map((sender, i) =>
        sendSteadily((body) => sender.send(channel, body), `member ${i + 1}`, SENDS_EACH),
      ),
    );

    await untilAll(clients, () => ackedSoFar() >= TOTAL / 3, 30_000, 'a third of the sends acknowledged');
    await server.kill('SIGKILL');
    const ackedAtCrash = ackedSoFar();
    // Stored but not acknowledged at the crash: only a resend with the same clientMsgId can settle these.
    const storedAtCrash = (await storedMessages(database.url, [channel])).get(channel)?.length ?? 0;
    await sleep(1000);
    await server.restart();
    await sending;

    await untilAll(
      clients,
      () => clients.every((client) => client.pending.length === 0 && client.cursor(channel) >= TOTAL),
      60_000,
      'every outbox drained and every client holding every message',
      () => `${clientStates(clients, channel)}\nserver output:\n${server.output().slice(-3000)}`,
    );

    const stored = await storedMessages(database.url, [channel]);
    const counts = countDelivery(
      senders.map((sender) => sender.log),
      stored,
      clients.map((client, i) => ({ client, conversationId: channel, deliveries: deliveries[i] })),
    );
    console.log(
      formatCounts('server-crash', counts, {
        members: MEMBERS,
        ackedAtCrash,
        storedAtCrash,
        clientErrors,
        resets: deliveries.reduce((sum, log) => sum + log.resets, 0),
        seconds: ((Date.now() - started) / 1000).toFixed(1),
      }),
    );

    expect(counts).toMatchObject({ sent: TOTAL, acked: TOTAL, stored: TOTAL });
    expect(counts).toMatchObject({ lost: 0, ackedLost: 0, duplicates: 0, gaps: 0, mismatches: 0 });
    const expected = (stored.get(channel) ?? []).map(comparable);
    for (const client of clients) {
      expect(seqsOf(client, channel)).toEqual(range(1, TOTAL));
      expect(client.messages(channel).map(comparable)).toEqual(expected);
    }
  }, 90_000);
});
