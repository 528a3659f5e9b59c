// A client offline while more than a page arrives in each of its ten open conversations catches up on
// reconnecting: every conversation complete from seq 1, nothing twice, nothing reset, even while new
// messages keep arriving live during the catch-up.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryStorage, type ParleyClient } from '../../src/client/index.ts';
import { api, type TestUser } from '../helpers/clients.ts';
import { postgresServerAvailable } from '../helpers/drivers.ts';
import { deliveryLog, expectEveryMessageOnce, SendLog } from '../helpers/fault-counts.ts';
import { channelOf, member } from '../helpers/fault-load.ts';
import { connected, sdkClient, untilAll } from '../helpers/sdk.ts';
import { useTestServer } from '../helpers/test-server.ts';

const CONVERSATIONS = 10;
const BEFORE = 5;
/** More than the sync answer's page (100) and the client's catch-up pages, so catching up takes several. */
const WHILE_AWAY = 250;
const DURING_CATCH_UP = 5;
const PER_CONVERSATION = BEFORE + WHILE_AWAY + DURING_CATCH_UP;

describe.runIf(postgresServerAvailable)('a long absence', () => {
  const parley = useTestServer('postgres');
  let reader: ParleyClient | undefined;
  afterAll(() => reader?.close());

  /** Posts `count` messages over REST, one after another, recording each acknowledged (201) send. */
  async function post(writer: TestUser, log: SendLog, conversationId: string, label: string, count: number) {
    for (let i = 1; i <= count; i++) {
      const clientMsgId = randomUUID();
      log.sent.add(clientMsgId);
      const sent = await api(parley.url, 'POST', `/api/conversations/${conversationId}/messages`, {
        token: writer.token,
        body: { clientMsgId, body: `${label} #${i}` },
      });
      expect(sent.status).toBe(201);
      log.acked.add(clientMsgId);
    }
  }

  it('catches up every open conversation completely after more than a page arrived in each', async () => {
    const started = Date.now();
    const [readerUser, writer] = [await member(parley.url, 'absent'), await member(parley.url, 'writer')];
    const conversations: string[] = [];
    for (let i = 0; i < CONVERSATIONS; i++)
      conversations.push(await channelOf(parley.url, writer, [readerUser]));
    const log = new SendLog();
    const postToAll = (label: string, count: number) =>
      Promise.all(conversations.map((id, i) => post(writer, log, id, `${label} ${i + 1}`, count)));

    await postToAll('before', BEFORE);
    reader = sdkClient(parley.url, readerUser.token, { storage: memoryStorage() });
    const client = reader;
    await connected(client);
    for (const id of conversations) await client.open(id);
    expect(conversations.map((id) => client.cursor(id))).toEqual(conversations.map(() => BEFORE));
    const deliveries = deliveryLog(client);

    client.close();
    expect(client.status).toBe('offline');
    await postToAll('away', WHILE_AWAY);

    const reconnectedAt = Date.now();
    await Promise.all([connected(client), postToAll('live', DURING_CATCH_UP)]);
    await untilAll(
      [client],
      () => conversations.every((id) => client.cursor(id) >= PER_CONVERSATION),
      30_000,
      'every conversation caught up',
      () => conversations.map((id) => `${id}: cursor ${client.cursor(id)}`).join('\n'),
    );
    const caughtUpMs = Date.now() - reconnectedAt;

    await expectEveryMessageOnce({
      test: 'long-absence',
      databaseUrl: parley.storage.env.DATABASE_URL!,
      logs: [log],
      views: conversations.map((conversationId) => ({ client, conversationId, deliveries })),
      perConversation: PER_CONVERSATION,
      extra: {
        conversations: CONVERSATIONS,
        perConversation: PER_CONVERSATION,
        resets: deliveries.resets,
        caughtUpMs,
        seconds: ((Date.now() - started) / 1000).toFixed(1),
      },
    });
    expect(deliveries.resets).toBe(0);
  }, 90_000);
});
