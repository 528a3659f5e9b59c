// Sockets open at once per user and per client address: refused at the handshake with
// `too_many_connections`, which the SDK does not retry in a loop; and the warning an operator gets when a
// proxy they did not declare forwards for its clients. Through real servers on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../src/protocol/errors.ts';
import type { ParleyServer } from '../../src/server/app.ts';
import { userRoom } from '../../src/server/fanout/fanout.ts';
import { axiom, knownPerson, newPerson, type Person, refusal, request } from '../helpers/access.ts';
import { type ChildServer, killAllChildServers, startChildServer } from '../helpers/child-server.ts';
import { type ClientSocket, openSocket, type SocketOptions } from '../helpers/clients.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { connected, until } from '../helpers/sdk.ts';
import { useTestServers } from '../helpers/servers.ts';

const SOCKETS_PER_USER = 20;
const SOCKETS_PER_ADDRESS = 5;

describe('connection caps', () => {
  const servers = useTestServers({
    perUser: { PARLEY_MAX_SOCKETS_PER_USER: String(SOCKETS_PER_USER) },
    perAddress: { PARLEY_MAX_SOCKETS_PER_ADDRESS: String(SOCKETS_PER_ADDRESS) },
  });

  const watch = (server: ParleyServer, person: Person, options: SocketOptions = {}) =>
    servers.open(server, person.token, options);
  const openMany = (server: ParleyServer, person: Person, count: number) =>
    Promise.all(Array.from({ length: count }, () => watch(server, person)));
  /** Resolves once the server holds `count` sockets of the person: it has counted a closed one out. */
  const socketsOnServer = (server: ParleyServer, person: Person, count: number) =>
    expect.poll(async () => (await server.io.in(userRoom(person.id)).fetchSockets()).length).toBe(count);

  it('refuses the 21st socket of a user with too_many_connections, lets others in, and makes room when one closes', async () => {
    const [busy, other] = await Promise.all([
      knownPerson(servers.perUser.url, 'many-tabs', axiom),
      knownPerson(servers.perUser.url, 'one-tab', axiom),
    ]);
    const open = await openMany(servers.perUser, busy, SOCKETS_PER_USER);
    expect(open.every((socket) => socket.connected)).toBe(true);

    const refused = await refusal(watch(servers.perUser, busy));
    expect(refused.data).toMatchObject({ code: 'too_many_connections' });
    console.log(
      `[connection-caps] socket ${SOCKETS_PER_USER + 1} of one user: ${JSON.stringify(refused.data)}`,
    );
    expect((await watch(servers.perUser, other)).connected).toBe(true);

    (open[0] as ClientSocket).close();
    await socketsOnServer(servers.perUser, busy, SOCKETS_PER_USER - 1);
    expect((await watch(servers.perUser, busy)).connected).toBe(true);
    const full = await refusal(watch(servers.perUser, busy));
    expect(full.data).toMatchObject({ code: 'too_many_connections' });
  });

  it('the SDK refused for too many connections goes offline without retrying in a loop, and connects when asked again', async () => {
    const busy = await knownPerson(servers.perUser.url, 'sdk-many-tabs', axiom);
    const open = await openMany(servers.perUser, busy, SOCKETS_PER_USER);
    let handshakes = 0;
    const countHandshake = () => {
      handshakes += 1;
    };
    servers.perUser.io.engine.on('connection', countHandshake);
    try {
      const errors: ErrorBody[] = [];
      // With no jitter, an SDK retrying as after other refusals would try again every 2 s.
      const client = servers.sdk(servers.perUser, busy.token, { random: () => 0 });
      client.on('error', (error) => {
        if ('code' in error) errors.push(error);
      });
      client.connect();
      await until(client, () => errors.length > 0 && client.status === 'offline', 10_000, 'offline');
      expect(errors[0]).toMatchObject({ code: 'too_many_connections' });

      // No event marks "not retried": watch for as long as three quick retries would take.
      await new Promise((resolve) => setTimeout(resolve, 6000));
      console.log(
        `[connection-caps] SDK handshakes in the 6 s after a too_many_connections refusal: ${handshakes}`,
      );
      expect(handshakes).toBe(1);
      expect(client.status).toBe('offline');

      (open[0] as ClientSocket).close();
      await socketsOnServer(servers.perUser, busy, SOCKETS_PER_USER - 1);
      await connected(client);
      expect(handshakes).toBe(2);
    } finally {
      servers.perUser.io.engine.off('connection', countHandshake);
    }
  });

  it('refuses sockets beyond the cap of one client address, whoever the users are', async () => {
    const people = await Promise.all(
      Array.from({ length: SOCKETS_PER_ADDRESS + 1 }, (_, i) => newPerson(`office-${i}`, axiom)),
    );
    const inside = await Promise.all(
      people.slice(0, SOCKETS_PER_ADDRESS).map((p) => watch(servers.perAddress, p)),
    );
    expect(inside.every((socket) => socket.connected)).toBe(true);

    const latecomer = people[SOCKETS_PER_ADDRESS] as Person;
    // An untrusted X-Forwarded-For changes nothing: the address is the peer's.
    for (const options of [{}, { extraHeaders: { 'x-forwarded-for': '198.51.100.9' } }]) {
      const refused = await refusal(watch(servers.perAddress, latecomer, options));
      expect(refused.data, JSON.stringify(options)).toMatchObject({ code: 'too_many_connections' });
    }
    (inside[0] as ClientSocket).close();
    await expect
      .poll(async () => (await servers.perAddress.io.fetchSockets()).length)
      .toBe(SOCKETS_PER_ADDRESS - 1);
    expect((await watch(servers.perAddress, latecomer)).connected).toBe(true);
  });
});

describe('behind a proxy that is not trusted', () => {
  let database: TestDatabase;
  let server: ChildServer;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startChildServer({ env: { DATABASE_URL: database.url, LOG_LEVEL: 'warn' } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await killAllChildServers();
    await database?.drop();
  });

  it('logs one warning for the process, naming the peer and PARLEY_TRUSTED_PROXIES', async () => {
    const user = await newPerson('proxied', axiom);
    const forwarded = { 'x-forwarded-for': '203.0.113.7' };
    expect((await request(server.url, 'GET', '/healthz')).status).toBe(200);
    expect(server.output()).not.toContain('X-Forwarded-For');

    for (let i = 0; i < 3; i++) {
      const opened = openSocket(server.url, user.token, { extraHeaders: forwarded });
      sockets.push(opened.socket);
      await opened.connected;
      expect(
        (await request(server.url, 'GET', '/api/me', { token: user.token, headers: forwarded })).status,
      ).toBe(200);
    }
    await expect.poll(() => server.output()).toContain('X-Forwarded-For');
    const warnings = server
      .output()
      .split('\n')
      .filter((line) => line.includes('X-Forwarded-For'));
    console.log(
      `[connection-caps] after 3 handshakes and 3 requests via a proxy: ${warnings.length} warning`,
    );
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] as string)).toMatchObject({
      level: 40,
      peer: expect.stringContaining('127.0.0.1'),
      msg: expect.stringContaining('PARLEY_TRUSTED_PROXIES=127.0.0.1'),
    });
  });
});
