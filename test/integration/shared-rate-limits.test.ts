// Two nodes on one PostgreSQL and one Redis count a user's requests together: the budget is the same
// whichever node a request reaches. With Redis gone each node counts on its own, and requests are still
// answered (never refused for want of Redis).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../../src/server/app.ts';
import { acme, knownPerson } from '../helpers/access.ts';
import { api } from '../helpers/clients.ts';
import { postgresServerAvailable } from '../helpers/drivers.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { redisServerAvailable, startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { startTestServer } from '../helpers/server.ts';

const WRITES_PER_MINUTE = 4;

describe.runIf(postgresServerAvailable && redisServerAvailable)('rate limits shared through Redis', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  const nodes: ParleyServer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await startTestRedis();
    const storage = {
      driver: 'postgres' as const,
      env: { DATABASE_URL: database.url },
      destroy: async () => {},
    };
    for (let i = 0; i < 2; i++) {
      nodes.push(
        await startTestServer(storage, {
          env: { PARLEY_REDIS_URL: redis.url, PARLEY_RATE_WRITES_PER_MINUTE: String(WRITES_PER_MINUTE) },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const node of nodes) await node.close();
    await redis?.kill();
    await database?.drop();
  });

  /** A REST write (muting a DM is one) by `token` on node `i`: its status. */
  const write = async (i: number, token: string, conversationId: string) =>
    (
      await api(nodes[i]!.url, 'POST', `/api/conversations/${conversationId}/mute`, {
        token,
        body: { muted: true },
      })
    ).status;

  async function directOf(label: string) {
    const ana = await knownPerson(nodes[0]!.url, `${label}-ana`, acme);
    const ben = await knownPerson(nodes[0]!.url, `${label}-ben`, acme);
    const created = await api(nodes[0]!.url, 'POST', '/api/conversations', {
      token: ana.token,
      body: { kind: 'direct', memberIds: [ben.id] },
    });
    return { ana, conversationId: created.body.conversation.id as string };
  }

  it('counts a user’s writes on both nodes against one budget', async () => {
    const { ana, conversationId } = await directOf('shared');
    // Starting the DM was a write already.
    const statuses = [];
    for (let i = 0; i < WRITES_PER_MINUTE; i++) statuses.push(await write(i % 2, ana.token, conversationId));
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await write(1, ana.token, conversationId)).toBe(429);
  });

  it('falls back to each node’s own count while Redis is away, and answers', async () => {
    const { ana, conversationId } = await directOf('fallback');
    await redis.kill();
    try {
      // Each node now counts alone: as many writes again on the other node as on the first.
      expect(await write(0, ana.token, conversationId)).toBe(200);
      expect(await write(1, ana.token, conversationId)).toBe(200);
      expect(await write(1, ana.token, conversationId)).toBe(200);
    } finally {
      await redis.start();
    }
  });
});
