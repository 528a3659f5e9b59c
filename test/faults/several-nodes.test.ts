// Three Parley nodes on one PostgreSQL and one Redis, behind nginx with deploy/nginx.conf, and members spread
// over them by their addresses (each client connects from a loopback address of its own, which nginx hashes
// to a node). Messages reach members on other nodes live, long-polling included; a Redis restart mid-traffic
// and a node killed with SIGKILL mid-traffic lose nothing acknowledged and duplicate nothing: every member
// ends up holding every message once, in seq order, as the database has them.
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage, type ParleyClient } from '../../src/client/index.ts';
import { type ChildServer, killAllChildServers, startChildServer } from '../helpers/child-server.ts';
import type { TestUser } from '../helpers/clients.ts';
import { postMessage } from '../helpers/conversations.ts';
import { postgresServerAvailable } from '../helpers/drivers.ts';
import { expectEveryMessageOnce, type SendLog, trackedSender } from '../helpers/fault-counts.ts';
import {
  channelOf,
  connectAndOpen,
  members,
  sendSteadily,
  sleep,
  untilEveryoneHoldsAll,
} from '../helpers/fault-load.ts';
import { nginxAvailable, startNginx, type TestNginx } from '../helpers/nginx.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { redisServerAvailable, startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { sdkClient, untilAll } from '../helpers/sdk.ts';

const NODES = 3;
const MEMBERS = 12;
const SENDS_EACH = 15;
const TOTAL = MEMBERS * SENDS_EACH;
/** deploy/nginx.conf's fail_timeout: how long nginx skips a node that did not answer. */
const NGINX_FAIL_TIMEOUT_MS = 3000;
const METRICS_TOKEN = 'metrics-token-of-the-several-nodes-test';

/** Sockets connected to each node now, from its metrics. */
async function socketsPerNode(nodes: readonly ChildServer[]): Promise<number[]> {
  return Promise.all(
    nodes.map(async (node) => {
      const response = await fetch(`${node.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      }).catch(() => null);
      if (!response?.ok) return 0;
      const line = (await response.text())
        .split('\n')
        .find((row) => row.startsWith('parley_connected_sockets '));
      return Number(line?.split(' ')[1] ?? 0);
    }),
  );
}

/** How many of the nodes say they hear the others through Redis. */
async function linkedNodes(nodes: readonly ChildServer[]): Promise<number> {
  const answers = await Promise.all(
    nodes.map((node) =>
      fetch(`${node.url}/readyz`).then(
        async (response) => ((await response.json()) as { nodes?: string }).nodes,
        () => undefined,
      ),
    ),
  );
  return answers.filter((nodes) => nodes === 'linked').length;
}

describe.runIf(postgresServerAvailable && redisServerAvailable && nginxAvailable)(
  'three nodes on PostgreSQL and Redis behind nginx',
  () => {
    let database: TestDatabase;
    let redis: TestRedis;
    let nginx: TestNginx;
    const nodes: ChildServer[] = [];
    const clients: ParleyClient[] = [];
    let users: TestUser[] = [];
    /** Times each client (re)connected, after its first connection. */
    const reconnects: number[] = [];
    /** When each client last opened a connection (through its agent): where a reconnect starts. */
    const lastConnectionAt: number[] = [];

    beforeAll(async () => {
      database = await createTestDatabase();
      redis = await startTestRedis();
      for (let i = 0; i < NODES; i++) {
        nodes.push(
          await startChildServer({
            env: {
              DATABASE_URL: database.url,
              PARLEY_REDIS_URL: redis.url,
              PARLEY_METRICS_TOKEN: METRICS_TOKEN,
            },
          }),
        );
      }
      nginx = await startNginx(nodes.map((node) => node.port));
      users = await members(nginx.url, 'nodes', MEMBERS);
      // One address each: nginx spreads them over the nodes as it spreads browsers. The last one is held to
      // long-polling, which works only if nginx keeps all of its requests on one node.
      for (const [i, user] of users.entries()) {
        const agent = new Agent({ localAddress: `127.0.0.${10 + i}`, keepAlive: true });
        const open = agent.createConnection.bind(agent);
        agent.createConnection = (...args: Parameters<typeof open>) => {
          lastConnectionAt[i] = Date.now();
          return open(...args);
        };
        const transports: ('websocket' | 'polling')[] = i === MEMBERS - 1 ? ['polling'] : ['websocket'];
        const client = sdkClient(nginx.url, user.token, {
          storage: memoryStorage(),
          ackTimeoutMs: 3000,
          agent,
          transports,
        });
        let connections = 0;
        reconnects.push(0);
        client.on('status', (status) => {
          if (status === 'connected' && ++connections > 1) reconnects[i] = (reconnects[i] ?? 0) + 1;
        });
        clients.push(client);
      }
    }, 180_000);

    afterAll(async () => {
      for (const client of clients) client.close();
      await nginx?.stop();
      await killAllChildServers();
      await redis?.kill();
      await database?.drop();
    });

    /** A new channel of every member, open in every client; what each appends to it from now on. */
    async function freshChannel() {
      const [creator, ...others] = users;
      const channel = await channelOf(nginx.url, creator!, others);
      const deliveries = await connectAndOpen(clients, channel);
      return { channel, deliveries };
    }

    function sendAll(channel: string) {
      const senders = clients.map(trackedSender);
      const acked = () => senders.reduce((sum, sender) => sum + sender.log.acked.size, 0);
      const sending = Promise.all(
        senders.map((sender, i) =>
          sendSteadily((body) => sender.send(channel, body), `member ${i + 1}`, SENDS_EACH),
        ),
      );
      return { logs: senders.map((sender) => sender.log), acked, sending };
    }

    const explain = () =>
      `\n${nodes.map((node, i) => `node ${i + 1} output:\n${node.output().slice(-1500)}`).join('\n')}`;

    async function verify(
      test: string,
      channel: string,
      logs: SendLog[],
      deliveries: unknown[],
      extra: object,
      total = TOTAL,
    ) {
      await untilEveryoneHoldsAll(clients, channel, total, 60_000, explain);
      await expectEveryMessageOnce({
        test,
        databaseUrl: database.url,
        logs,
        views: clients.map((client, i) => ({
          client,
          conversationId: channel,
          deliveries: deliveries[i] as never,
        })),
        perConversation: total,
        extra: { nodes: NODES, members: MEMBERS, ...extra },
      });
    }

    it('delivers live to members on every node, a long-polling one included', async () => {
      const started = Date.now();
      const { channel, deliveries } = await freshChannel();
      const spread = await socketsPerNode(nodes);
      expect(spread.reduce((sum, count) => sum + count, 0)).toBe(MEMBERS);
      expect(spread.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
      const { logs, sending } = sendAll(channel);
      await sending;
      await verify('several-nodes live', channel, logs, deliveries, {
        spread: spread.join('/'),
        seconds: ((Date.now() - started) / 1000).toFixed(1),
      });
      // No client reconnected: what reached the members on other nodes came through Redis, live.
      expect(reconnects).toEqual(users.map(() => 0));
    }, 120_000);

    it('loses nothing acknowledged when Redis goes away mid-traffic and comes back empty', async () => {
      const started = Date.now();
      const { channel, deliveries } = await freshChannel();
      const { logs, acked, sending } = sendAll(channel);
      await untilAll(clients, () => acked() >= TOTAL / 3, 30_000, 'a third of the sends acknowledged');
      await redis.kill();
      const ackedAtKill = acked();
      // The rest is sent, stored and acknowledged while Redis is away: nothing sent later reveals a gap to
      // the members on other nodes, who catch up only because their nodes see the link come back.
      await sending;
      await untilAll(clients, () => acked() === TOTAL, 30_000, 'every send acknowledged without Redis');
      await sleep(500);
      await redis.start();
      const before = [...reconnects];
      // Every node hears the others again (a heartbeat went round through the new Redis) and has sent its
      // members to reconnect and catch up: each member reconnects once.
      const deadline = Date.now() + 30_000;
      while ((await linkedNodes(nodes)) < NODES) {
        if (Date.now() > deadline) throw new Error(`the nodes did not link again through Redis${explain()}`);
        await sleep(200);
      }
      await untilAll(
        clients,
        () => clients.every((client, i) => client.status === 'connected' && reconnects[i]! > before[i]!),
        30_000,
        'every member reconnected after the link came back',
      );
      const caughtUpMs = Date.now() - started;
      await verify('several-nodes redis-restart', channel, logs, deliveries, {
        ackedAtKill,
        reconnects: reconnects.reduce((sum, count, i) => sum + count - before[i]!, 0),
        seconds: ((Date.now() - started) / 1000).toFixed(1),
        caughtUpMs,
      });
    }, 120_000);

    it('catches every member up within 2 s of reconnecting, all of them at once', async () => {
      const { channel } = await freshChannel();
      // Everyone drops at once (the balancer restarts) and misses what is written meanwhile; all come back
      // together, each catching up in one sync (one bounded range query per conversation).
      await nginx.stop();
      const [writer] = users;
      await Promise.all(
        Array.from({ length: TOTAL }, (_, i) =>
          postMessage(nodes[0]!.url, writer!, channel, `while away #${i + 1}`),
        ),
      );
      nginx = await startNginx(
        nodes.map((node) => node.port),
        nginx.port,
      );
      const caughtUp: number[] = clients.map(() => Number.NaN);
      for (const [i, client] of clients.entries()) {
        const check = () => {
          // From the connection that reconnected it (its last one opened) to holding every message.
          if (Number.isNaN(caughtUp[i]!) && client.cursor(channel) >= TOTAL)
            caughtUp[i] = Date.now() - lastConnectionAt[i]!;
        };
        client.on('messages', check);
        check();
      }
      await untilEveryoneHoldsAll(clients, channel, TOTAL, 60_000, explain);
      const sorted = [...caughtUp].sort((x, y) => x - y);
      const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
      console.log(
        `[several-nodes reconnect-storm] members=${MEMBERS} missed=${TOTAL} catchUpMs ` +
          `p50=${sorted[Math.floor(sorted.length / 2)]} p99=${p99} max=${sorted.at(-1)}`,
      );
      expect(p99).toBeLessThan(2000);
    }, 120_000);

    it('loses nothing acknowledged in a rolling restart of every node under load', async () => {
      const started = Date.now();
      const { channel, deliveries } = await freshChannel();
      // Every member keeps writing, about five messages a second, until the last node is back.
      const senders = clients.map(trackedSender);
      let restarting = true;
      const sending = Promise.all(
        senders.map(async (sender, i) => {
          for (let n = 1; restarting; n++) {
            sender.send(channel, `member ${i + 1} #${n}`);
            await sleep(150 + Math.round(Math.random() * 100));
          }
        }),
      );
      for (const node of nodes) {
        // SIGTERM: the node drains, its members reconnect to the others, and it comes back; then nginx's
        // fail_timeout (deploy/nginx.conf) before the next, as the operations guide says.
        await node.restart();
        await sleep(NGINX_FAIL_TIMEOUT_MS);
      }
      restarting = false;
      await sending;
      const logs = senders.map((sender) => sender.log);
      const total = logs.reduce((sum, log) => sum + log.sent.size, 0);
      const extra = {
        reconnects: reconnects.reduce((sum, count) => sum + count, 0),
        seconds: ((Date.now() - started) / 1000).toFixed(1),
      };
      await verify('several-nodes rolling-restart', channel, logs, deliveries, extra, total);
    }, 180_000);

    it('loses nothing acknowledged when a node is killed mid-traffic: its members move to the others', async () => {
      const started = Date.now();
      const { channel, deliveries } = await freshChannel();
      const spread = await socketsPerNode(nodes);
      const victim = spread.indexOf(Math.max(...spread));
      const { logs, acked, sending } = sendAll(channel);
      await untilAll(clients, () => acked() >= TOTAL / 3, 30_000, 'a third of the sends acknowledged');
      await nodes[victim]!.kill('SIGKILL');
      const ackedAtKill = acked();
      await sending;
      await verify('several-nodes kill-9', channel, logs, deliveries, {
        killed: `node ${victim + 1} with ${spread[victim]} members`,
        ackedAtKill,
        seconds: ((Date.now() - started) / 1000).toFixed(1),
      });
      const after = await socketsPerNode(nodes);
      expect(after[victim]).toBe(0);
      expect(after.reduce((sum, count) => sum + count, 0)).toBe(MEMBERS);
    }, 120_000);
  },
);
