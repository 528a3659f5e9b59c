// Two nodes on one PostgreSQL and one Redis count a user's requests together: the budget is the same
// whichever node a request reaches. With Redis gone each node counts on its own, and requests are still
// answered (never refused for want of Redis).
import { describe, expect, it } from 'vitest';
import { acme, knownPerson } from '../helpers/access.ts';
import { api } from '../helpers/clients.ts';
import { postgresServerAvailable } from '../helpers/drivers.ts';
import { useNodesOnRedis } from '../helpers/nodes-on-redis.ts';
import { redisServerAvailable } from '../helpers/redis-server.ts';

const WRITES_PER_MINUTE = 4;

describe.runIf(postgresServerAvailable && redisServerAvailable)('rate limits shared through Redis', () => {
  const shared = useNodesOnRedis(2, {
    PARLEY_RATE_WRITES_PER_MINUTE: String(WRITES_PER_MINUTE),
  });

  /** A REST write (muting a DM is one) by `token` on node `i`: its status. */
  const write = async (i: number, token: string, conversationId: string) =>
    (
      await api(shared.nodes[i]!.url, 'POST', `/api/conversations/${conversationId}/mute`, {
        token,
        body: { muted: true },
      })
    ).status;

  async function directOf(label: string) {
    const ana = await knownPerson(shared.nodes[0]!.url, `${label}-ana`, acme);
    const ben = await knownPerson(shared.nodes[0]!.url, `${label}-ben`, acme);
    const created = await api(shared.nodes[0]!.url, 'POST', '/api/conversations', {
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
    await shared.redis.kill();
    try {
      // Each node now counts alone: as many writes again on the other node as on the first.
      expect(await write(0, ana.token, conversationId)).toBe(200);
      expect(await write(1, ana.token, conversationId)).toBe(200);
      expect(await write(1, ana.token, conversationId)).toBe(200);
    } finally {
      await shared.redis.start();
    }
  });
});
