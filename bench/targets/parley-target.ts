// Parley as a benchmark target, started as production starts it (`node --import tsx src/server/main.ts`)
// on a database of its own: a scratch database on the PostgreSQL server, or a fresh PGlite directory; with
// a Redis of its own for `parley-redis` (one node) and `parley-3-nodes` (three, the users spread over them).
// Every limit is raised far out of reach: the benchmark measures the send path, not the rate limiter.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type ChildServer, startChildServer } from '../lib/child-server.ts';
import { onCleanup } from '../lib/cleanup.ts';
import { inParallel } from '../lib/in-parallel.ts';
import { repoRoot } from '../lib/paths.ts';
import { startRedis } from '../lib/redis.ts';
import { adminUrl, createScratchDatabase } from '../lib/scratch-database.ts';
import { type Layout, roomMembers } from './layout.ts';
import { type BenchUser, type ParleyApi, parleyApi } from './parley-api.ts';
import type { Cast, Target } from './target.ts';

const SETUP_CONCURRENCY = 16;

/** Out of reach of any benchmark (src/server/config.ts names them). */
const RAISED_LIMITS = {
  PARLEY_RATE_SENDS_PER_10S: '1000000',
  PARLEY_RATE_CONNECTS_PER_10S: '1000000',
  PARLEY_RATE_WRITES_PER_MINUTE: '1000000',
  PARLEY_RATE_EVENTS_PER_10S: '10000000',
  PARLEY_MAX_SOCKETS_PER_ADDRESS: '100000',
  PARLEY_MAX_SOCKETS_PER_USER: '100000',
};

export type ParleyTargetName = 'parley-postgres' | 'parley-pglite' | 'parley-redis' | 'parley-3-nodes';

const NODES: Record<ParleyTargetName, number> = {
  'parley-postgres': 1,
  'parley-pglite': 1,
  'parley-redis': 1,
  'parley-3-nodes': 3,
};

export interface ParleyCast extends Cast {
  users: BenchUser[];
}

export interface ParleyTarget extends Target {
  name: ParleyTargetName;
  api: ParleyApi;
  cast: (layout: Layout) => Promise<ParleyCast>;
}

interface ParleyDatabase {
  env: Record<string, string>;
  helperPids: () => Promise<number[]>;
  remove: () => Promise<void>;
}

async function scratchPostgres(): Promise<ParleyDatabase> {
  const database = await createScratchDatabase('send');
  // One connection kept for looking up processes: a new one each second would itself cost PostgreSQL CPU.
  const monitor = new pg.Client({ connectionString: adminUrl });
  await monitor.connect();
  const closeMonitor = onCleanup(`close the monitor of ${database.name}`, () => monitor.end());
  return {
    env: { DATABASE_URL: database.url },
    // The backends serving Parley, and the writers that flush what they commit.
    helperPids: async () => {
      const { rows } = await monitor.query<{ pid: number }>(
        `select pid from pg_stat_activity
         where datname = $1 or backend_type in ('walwriter', 'checkpointer', 'background writer')`,
        [database.name],
      );
      return rows.map((row) => row.pid);
    },
    remove: async () => {
      await closeMonitor();
      await database.drop();
    },
  };
}

async function scratchPglite(): Promise<ParleyDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-pglite-'));
  const remove = onCleanup(`remove ${dataDir}`, () => rm(dataDir, { recursive: true, force: true }));
  // PGlite runs inside the server process: its CPU is already the server's.
  return { env: { PARLEY_DATA_DIR: dataDir }, helperPids: async () => [], remove };
}

/** `env`: settings a scenario needs besides the raised limits (where webhooks may connect, say). */
export async function startParleyTarget(
  name: ParleyTarget['name'],
  env: Record<string, string> = {},
): Promise<ParleyTarget> {
  const database = name === 'parley-pglite' ? await scratchPglite() : await scratchPostgres();
  const redis = name === 'parley-redis' || name === 'parley-3-nodes' ? await startRedis() : null;
  const secret = randomBytes(32).toString('base64url');
  const nodes: ChildServer[] = [];
  try {
    for (let i = 1; i <= NODES[name]; i++) {
      nodes.push(
        await startChildServer({
          name: NODES[name] > 1 ? `${name} node ${i}` : name,
          args: ['--import', 'tsx', 'src/server/main.ts'],
          env: {
            PATH: process.env.PATH ?? '',
            HOST: '127.0.0.1',
            PARLEY_DEMO: '0',
            PARLEY_JWT_SECRET: secret,
            LOG_LEVEL: 'warn',
            ...RAISED_LIMITS,
            ...env,
            ...database.env,
            ...(redis ? { PARLEY_REDIS_URL: redis.url } : {}),
          },
          cwd: repoRoot,
        }),
      );
    }
  } catch (error) {
    for (const node of nodes) await node.stop();
    await redis?.stop();
    await database.remove();
    throw error;
  }
  const server = nodes[0]!;
  const api = parleyApi(server.url, secret, 'bench');
  return {
    name,
    server,
    nodes,
    api,
    cast: (layout) => castParley(api, layout),
    sendPayload: (conversationId, clientMsgId, body) => ({ conversationId, clientMsgId, body }),
    // Redis's CPU is part of what several nodes cost.
    helperPids: async () => [...(await database.helperPids()), ...(redis ? [redis.pid] : [])],
    async stop() {
      for (const node of nodes) await node.stop();
      await redis?.stop();
      await database.remove();
    },
  };
}

/** Users meet Parley through their first request; each room is a group its first member starts. */
async function castParley(api: ParleyApi, layout: Layout): Promise<ParleyCast> {
  const prefix = randomBytes(3).toString('hex');
  const users = await inParallel(
    Array.from({ length: layout.sockets }, (_, i) => `bench-${prefix}-${i}`),
    SETUP_CONCURRENCY,
    (id) => api.user(id),
  );
  const rooms = await inParallel(
    Array.from({ length: layout.rooms }, (_, r) => roomMembers(layout, r)),
    SETUP_CONCURRENCY,
    async (members, r) => {
      const [creator, ...others] = members.map((member) => users[member]!);
      const { conversation } = await api.call<{ conversation: { id: string } }>(
        creator!,
        'POST',
        '/api/conversations',
        { kind: 'group', memberIds: others.map((user) => user.id), name: `bench ${r}` },
      );
      return { id: conversation.id, members };
    },
  );
  return { users, rooms, handshakes: users.map((user) => ({ token: user.token })) };
}
