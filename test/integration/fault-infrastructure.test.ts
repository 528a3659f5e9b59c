// The fault-test helpers do what fault tests rely on: a Parley child that dies on SIGKILL and comes back on
// its port, a private PostgreSQL that can be stopped and started, and a proxy whose link can be cut.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllChildServers, startChildServer } from '../helpers/child-server.ts';
import {
  privateClustersAvailable,
  type ScratchPostgres,
  startScratchPostgres,
} from '../helpers/scratch-postgres.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

async function healthStatus(url: string): Promise<number> {
  const response = await fetch(`${url}/healthz`);
  await response.body?.cancel();
  return response.status;
}

describe('child server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-child-'));
  afterAll(async () => {
    await killAllChildServers();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz, dies on SIGKILL and restarts on the same port', async () => {
    const server = await startChildServer({ env: { PARLEY_DATA_DIR: dataDir, DATABASE_URL: undefined } });
    expect(await healthStatus(server.url)).toBe(200);
    expect(server.output()).toContain('Parley is running');

    const killedPid = server.pid;
    await server.kill();
    expect(isAlive(killedPid)).toBe(false);
    await expect(healthStatus(server.url)).rejects.toThrow();

    await server.restart();
    expect(server.pid).not.toBe(killedPid);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await healthStatus(server.url)).toBe(200);

    await server.stop();
    expect(isAlive(server.pid)).toBe(false);
    // Two cold starts of a child on a fresh PGlite directory: up to ~15 s each on a loaded 2-core machine.
  }, 90_000);

  it('rejects with the child output when the server cannot start', async () => {
    await expect(
      startChildServer({ env: { PARLEY_DATA_DIR: dataDir, PARLEY_JWT_SECRET: 'too-short' } }),
    ).rejects.toThrow(/exited before it was ready[\s\S]*Parley cannot start/);
  });
});

describe.runIf(privateClustersAvailable)('scratch PostgreSQL', () => {
  let cluster: ScratchPostgres;
  const clients: pg.Client[] = [];

  async function connectTo(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    // A server shutdown arrives as an 'error' event on idle clients; unhandled, it would crash the run.
    client.on('error', () => {});
    clients.push(client);
    await client.connect();
    return client;
  }

  beforeAll(async () => {
    cluster = await startScratchPostgres();
  });
  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((client) => client.end()));
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('answers queries, refuses connections while stopped, and answers again after start', async () => {
    const session = await connectTo(cluster.url);
    expect((await session.query('select 1 as one')).rows).toEqual([{ one: 1 }]);

    await cluster.stop();
    await expect(session.query('select 1')).rejects.toThrow();
    await expect(connectTo(cluster.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await cluster.start();
    const after = await connectTo(cluster.url);
    expect((await after.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('terminates open sessions on restart and keeps created databases', async () => {
    const url = await cluster.createDatabase('parley_fault');
    const session = await connectTo(url);
    await session.query('create table kept (id int)');
    await session.query('insert into kept values (1)');

    await cluster.restart();
    await expect(session.query('select 1')).rejects.toThrow();
    const after = await connectTo(url);
    expect((await after.query('select id from kept')).rows).toEqual([{ id: 1 }]);
  });
});

describe('tcp proxy', () => {
  let target: Server;
  let proxy: TcpProxy;

  beforeAll(async () => {
    target = createHttpServer((_request, response) => response.end('through'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const address = target.address();
    if (!address || typeof address !== 'object') throw new Error('target has no port');
    proxy = await startTcpProxy(address.port);
  });
  afterAll(async () => {
    await proxy?.close();
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
  });

  const viaProxy = async () => (await fetch(`${proxy.url}/`)).text();

  it('forwards HTTP, fails requests while cut, and forwards again after restore', async () => {
    expect(await viaProxy()).toBe('through');
    expect(proxy.connectionCount).toBeGreaterThan(0);

    proxy.cut();
    expect(proxy.connectionCount).toBe(0);
    await expect(viaProxy()).rejects.toThrow();

    proxy.restore();
    expect(await viaProxy()).toBe('through');
  });

  it('resets a long-lived connection on cut without crashing the test process', async () => {
    const socket: Socket = connect(proxy.port, '127.0.0.1');
    const closed = new Promise<Error | undefined>((resolve) => {
      let failure: Error | undefined;
      socket.on('error', (error) => {
        failure = error;
      });
      socket.on('close', () => resolve(failure));
    });
    await new Promise((resolve) => socket.once('connect', resolve));
    await expect.poll(() => proxy.connectionCount).toBeGreaterThan(0);

    proxy.cut();
    expect(await closed).toMatchObject({ code: 'ECONNRESET' });
    proxy.restore();
  });
});
