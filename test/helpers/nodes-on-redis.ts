// In-process nodes for a suite: one fresh PostgreSQL database and a Redis of the suite's own, shared by
// `count` servers as several nodes share them in production (docs/scale-out.md). Started in beforeAll,
// stopped in afterAll.
import { afterAll, beforeAll } from 'vitest';
import type { ParleyServer } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase } from './postgres.ts';
import { startTestRedis, type TestRedis } from './redis-server.ts';
import { startTestServer } from './server.ts';

export interface NodesOnRedis {
  /** The running nodes; only once the suite's beforeAll has run. */
  readonly nodes: readonly ParleyServer[];
  readonly redis: TestRedis;
}

export function useNodesOnRedis(count: number, env: Record<string, string> = {}): NodesOnRedis {
  let database: TestDatabase | undefined;
  let redis: TestRedis | undefined;
  const nodes: ParleyServer[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await startTestRedis();
    const storage = {
      driver: 'postgres' as const,
      env: { DATABASE_URL: database.url },
      destroy: async () => {},
    };
    for (let i = 0; i < count; i++)
      nodes.push(await startTestServer(storage, { env: { PARLEY_REDIS_URL: redis.url, ...env } }));
  });
  afterAll(async () => {
    for (const node of nodes) await node.close();
    await redis?.kill();
    await database?.drop();
  });
  return {
    nodes,
    get redis() {
      if (!redis) throw new Error('Redis is not started: it starts in beforeAll');
      return redis;
    },
  };
}
