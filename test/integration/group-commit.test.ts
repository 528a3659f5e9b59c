// Group commit: sends that arrive together share one statement and one commit, seqs stay gap-free and in
// order per conversation, and a node that cannot store more soon refuses (retryably) instead of queueing —
// storing exactly what it acknowledged, with the SDK's outbox retrying the rest.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../../src/server/app.ts';
import { axiom, knownPerson, type Person, subscribedTo } from '../helpers/access.ts';
import { api, type ClientSocket, connect } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { connected, sdkClient, until } from '../helpers/sdk.ts';
import { createTestStorage, startTestServer, type TestStorage } from '../helpers/server.ts';

const drivers = testDrivers();

describe.each(drivers)('group commit on %s', (driver) => {
  let storage: TestStorage;
  let server: ParleyServer;
  let shedding: ParleyServer;
  let sheddingStorage: TestStorage;
  const sockets: ClientSocket[] = [];
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    [storage, sheddingStorage] = await Promise.all([createTestStorage(driver), createTestStorage(driver)]);
    server = await startTestServer(storage);
    // A queue so short that a burst overflows it.
    shedding = await startTestServer(sheddingStorage, {
      env: { PARLEY_SEND_QUEUE_MAX: '4', PARLEY_SEND_BATCH_MAX: '4' },
    });
  });
  afterAll(async () => {
    for (const close of closers) close();
    for (const socket of sockets) socket.close();
    await server?.close();
    await shedding?.close();
    await storage?.destroy();
    await sheddingStorage?.destroy();
  });

  /** `size` people in a group, each with a socket in its room. */
  async function group(on: ParleyServer, size: number) {
    const people = await Promise.all(
      Array.from({ length: size }, (_, i) => knownPerson(on.url, `p${i}`, axiom)),
    );
    const created = await api(on.url, 'POST', '/api/conversations', {
      token: people[0]?.token,
      body: { kind: 'group', memberIds: people.slice(1).map((p) => p.id) },
    });
    expect(created.status).toBe(201);
    const conversationId: string = created.body.conversation.id;
    const opened = await Promise.all(people.map((p) => connect(on.url, p.token)));
    sockets.push(...opened);
    for (const socket of opened) await subscribedTo(on, socket, [conversationId]);
    return { conversationId, people, sockets: opened };
  }

  const storedSeqs = async (on: ParleyServer, conversationId: string) =>
    (
      await on.db.query<{ seq: number }>('select seq from messages where conversation_id = $1 order by seq', [
        conversationId,
      ])
    ).map((row) => row.seq);

  it('stores a burst to several conversations in shared commits, with gap-free seqs in each', async () => {
    const groups = await Promise.all([
      group(server, 3),
      group(server, 3),
      group(server, 3),
      group(server, 3),
    ]);
    const sends = groups.flatMap(({ conversationId, sockets: members }) =>
      Array.from({ length: 50 }, (_, i) =>
        (members[i % members.length] as ClientSocket).emitWithAck('message:send', {
          conversationId,
          clientMsgId: randomUUID(),
          body: `burst ${i}`,
        }),
      ),
    );
    const acks = await Promise.all(sends);
    expect(acks.every((ack) => ack.ok)).toBe(true);
    for (const { conversationId } of groups) {
      expect(await storedSeqs(server, conversationId)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    }
    // Rows committed together share their transaction's timestamp.
    const [{ commits }] = (await server.db.query(
      `select count(distinct created_at)::int as commits from messages where conversation_id = any($1::text[])`,
      [groups.map((g) => g.conversationId)],
    )) as [{ commits: number }];
    console.log(`[group-commit ${driver}] 200 sends to 4 conversations in ${commits} commits`);
    expect(commits).toBeLessThan(200);
  });

  it('refuses what it cannot store soon with a retryable unavailable, and stores exactly what it acknowledged', async () => {
    const { conversationId, sockets: members } = await group(shedding, 4);
    const acks = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (members[i % members.length] as ClientSocket).emitWithAck('message:send', {
          conversationId,
          clientMsgId: randomUUID(),
          body: `flood ${i}`,
        }),
      ),
    );
    const accepted = acks.filter((ack) => ack.ok);
    const refused = acks.flatMap((ack) => (ack.ok ? [] : [ack.error]));
    console.log(
      `[group-commit ${driver}] 200 sends into a queue of 4: ${accepted.length} stored, ${refused.length} refused`,
    );
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error).toMatchObject({ code: 'unavailable', retryAfterMs: expect.any(Number) });
    }
    expect(await storedSeqs(shedding, conversationId)).toEqual(
      Array.from({ length: accepted.length }, (_, i) => i + 1),
    );
  });

  it('gets every message an SDK client sends through a node that sheds, once each and in typed order', async () => {
    const { conversationId, people } = await group(shedding, 8);
    const clients = await Promise.all(
      people.map(async (person: Person) => {
        const client = sdkClient(shedding.url, person.token);
        closers.push(() => client.close());
        return connected(client);
      }),
    );
    for (const client of clients) for (let i = 0; i < 15; i++) client.send(conversationId, `typed ${i}`);
    await Promise.all(
      clients.map((client) => until(client, () => client.pending.length === 0, 60_000, 'outbox empty')),
    );
    const rows = await shedding.db.query<{ sender_id: string; body: string; seq: number }>(
      'select sender_id, body, seq from messages where conversation_id = $1 order by seq',
      [conversationId],
    );
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 8 * 15 }, (_, i) => i + 1));
    for (const person of people) {
      expect(rows.filter((row) => row.sender_id === person.id).map((row) => row.body)).toEqual(
        Array.from({ length: 15 }, (_, i) => `typed ${i}`),
      );
    }
  });
});
