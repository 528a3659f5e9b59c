// A server killed with SIGKILL while twenty members send loses nothing it acknowledged and stores nothing
// twice: every member's client ends up holding every message once, in seq order, as the database has them.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ParleyClient } from '../../src/client/index.ts';
import { type ChildServer, killAllChildServers, startChildServer } from '../helpers/child-server.ts';
import { postgresServerAvailable } from '../helpers/drivers.ts';
import { expectEveryMessageOnce, storedMessages, trackedSender } from '../helpers/fault-counts.ts';
import {
  channelOf,
  connectAndOpen,
  faultClient,
  members,
  sendSteadily,
  sleep,
  untilEveryoneHoldsAll,
} from '../helpers/fault-load.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { untilAll } from '../helpers/sdk.ts';

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

    for (const user of users) clients.push(faultClient(server.url, user.token));
    const senders = clients.map(trackedSender);
    // Everything the clients reported and handled by retrying: dropped connections, refused reconnects, timeouts.
    let clientErrors = 0;
    for (const client of clients) client.on('error', () => clientErrors++);
    const deliveries = await connectAndOpen(clients, channel);

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

    await untilEveryoneHoldsAll(
      clients,
      channel,
      TOTAL,
      60_000,
      () => `\nserver output:\n${server.output().slice(-3000)}`,
    );

    await expectEveryMessageOnce({
      test: 'server-crash',
      databaseUrl: database.url,
      logs: senders.map((sender) => sender.log),
      views: clients.map((client, i) => ({ client, conversationId: channel, deliveries: deliveries[i] })),
      perConversation: TOTAL,
      extra: {
        members: MEMBERS,
        ackedAtCrash,
        storedAtCrash,
        clientErrors,
        resets: deliveries.reduce((sum, log) => sum + log.resets, 0),
        seconds: ((Date.now() - started) / 1000).toFixed(1),
      },
    });
  }, 90_000);
});
