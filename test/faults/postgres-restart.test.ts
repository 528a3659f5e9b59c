// PostgreSQL stopped and started under load: Parley keeps running, answers sends with a quick retryable
// `unavailable` and readiness with 503 meanwhile, and once the database is back every outbox drains with
// nothing acknowledged lost and nothing stored twice.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyClient } from '../../src/client/index.ts';
import { type ChildServer, killAllChildServers, startChildServer } from '../helpers/child-server.ts';
import { api, type ClientSocket, connect } from '../helpers/clients.ts';
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
import {
  privateClustersAvailable,
  type ScratchPostgres,
  startScratchPostgres,
} from '../helpers/scratch-postgres.ts';
import { untilAll } from '../helpers/sdk.ts';

const SENDERS = 5;
const SENDS_EACH = 100;
const TOTAL = SENDERS * SENDS_EACH;
/** An outage must be reported, not waited out: well under the SDK's ack timeout. */
const QUICK_ANSWER_MS = 5000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function statusOf(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(QUICK_ANSWER_MS) });
  return { status: response.status, body: await response.json() };
}

/** Polls readiness (nothing to await an event from) until it answers 200, within `timeoutMs`. */
async function untilReady(baseUrl: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await statusOf(`${baseUrl}/readyz`)).status === 200) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`/readyz did not answer 200 within ${timeoutMs} ms`);
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

describe.runIf(privateClustersAvailable)('a PostgreSQL restart under load', () => {
  let cluster: ScratchPostgres;
  let databaseUrl: string;
  let server: ChildServer;
  const clients: ParleyClient[] = [];
  let probe: ClientSocket | undefined;

  beforeAll(async () => {
    cluster = await startScratchPostgres();
    databaseUrl = await cluster.createDatabase('parley_fault');
    server = await startChildServer({ env: { DATABASE_URL: databaseUrl } });
  });
  afterAll(async () => {
    probe?.close();
    for (const client of clients) client.close();
    await killAllChildServers();
    await cluster?.destroy();
  });

  it('answers unavailable during the outage and drains every outbox exactly once after it', async () => {
    const started = Date.now();
    const users = await members(server.url, 'pgrestart', SENDERS + 1);
    const [creator, ...rest] = users;
    const channel = await channelOf(server.url, creator!, rest);
    // The last member probes the outage by hand, over a raw socket and over REST.
    const prober = users[SENDERS]!;
    const senderUsers = users.slice(0, SENDERS);
    const pid = server.pid;

    for (const user of senderUsers) clients.push(faultClient(server.url, user.token));
    const senders = clients.map(trackedSender);
    // Why sends were retried: an outage must read `unavailable`, never `internal`.
    const retryReasons = new Map<string, number>();
    for (const client of clients) {
      client.on('error', (error) => {
        const reason = 'code' in error ? error.code : error.message;
        retryReasons.set(reason, (retryReasons.get(reason) ?? 0) + 1);
      });
    }
    const deliveries = await connectAndOpen(clients, channel);
    probe = await connect(server.url, prober.token);

    const ackedSoFar = () => senders.reduce((sum, sender) => sum + sender.log.acked.size, 0);
    const sending = Promise.all(
      senders.map((sender, i) =>
        sendSteadily((body) => sender.send(channel, body), `sender ${i + 1}`, SENDS_EACH),
      ),
    );
    await untilAll(clients, () => ackedSoFar() >= TOTAL / 3, 30_000, 'a third of the sends acknowledged');

    await cluster.stop();
    const ackedAtOutage = ackedSoFar();
    const outageStarted = Date.now();
    const probeIds = [randomUUID(), randomUUID()];

    const socketSend = await timed(() =>
      probe!
        .timeout(QUICK_ANSWER_MS)
        .emitWithAck('message:send', { conversationId: channel, clientMsgId: probeIds[0]!, body: 'probe' }),
    );
    expect(socketSend.result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(socketSend.ms).toBeLessThan(QUICK_ANSWER_MS);

    const restSend = await timed(() =>
      api(server.url, 'POST', `/api/conversations/${channel}/messages`, {
        token: prober.token,
        body: { clientMsgId: probeIds[1], body: 'probe' },
      }),
    );
    expect(restSend.result.status).toBe(503);
    expect(restSend.result.body.error).toMatchObject({ code: 'unavailable' });
    expect(restSend.ms).toBeLessThan(QUICK_ANSWER_MS);

    const readiness = await timed(() => statusOf(`${server.url}/readyz`));
    expect(readiness.result).toMatchObject({ status: 503, body: { error: { code: 'not_ready' } } });
    expect(readiness.ms).toBeLessThan(QUICK_ANSWER_MS);
    expect((await statusOf(`${server.url}/healthz`)).status).toBe(200);

    await sleep(Math.max(0, 2000 - (Date.now() - outageStarted)));
    await cluster.start();
    const outageMs = Date.now() - outageStarted;
    const readyAfterMs = await untilReady(server.url, 15_000);
    await sending;

    await untilEveryoneHoldsAll(
      clients,
      channel,
      TOTAL,
      45_000,
      () => `\nserver output:\n${server.output().slice(-3000)}`,
    );
    expect(server.pid).toBe(pid);
    expect(isAlive(pid)).toBe(true);
    expect(retryReasons.get('internal')).toBeUndefined();

    const stored = await expectEveryMessageOnce({
      test: 'postgres-restart',
      databaseUrl,
      logs: senders.map((sender) => sender.log),
      views: clients.map((client, i) => ({ client, conversationId: channel, deliveries: deliveries[i] })),
      perConversation: TOTAL,
      extra: {
        members: SENDERS,
        ackedAtOutage,
        outageMs,
        readyAfterMs,
        socketUnavailableMs: socketSend.ms,
        restUnavailableMs: restSend.ms,
        readyz503Ms: readiness.ms,
        retries: JSON.stringify(Object.fromEntries(retryReasons)),
        seconds: ((Date.now() - started) / 1000).toFixed(1),
      },
    });
    // An `unavailable` answer means nothing was stored.
    const storedIds = new Set((stored.get(channel) ?? []).map((message) => message.clientMsgId));
    expect(probeIds.filter((id) => storedIds.has(id))).toEqual([]);
  }, 90_000);
});
