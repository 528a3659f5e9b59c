// Group commit: sends that arrive together share one statement and one commit, seqs stay gap-free and in
// order per conversation, and a node that cannot store more soon refuses (retryably) instead of queueing —
// storing exactly what it acknowledged, with the SDK's outbox retrying the rest.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { axiom, knownPerson, type Person, subscribedTo } from '../helpers/access.ts';
import { api, type ClientSocket } from '../helpers/clients.ts';
import { uniqueName } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { connected, until } from '../helpers/sdk.ts';
import { type ServerInUse, useTestServer } from '../helpers/test-server.ts';

const drivers = testDrivers();

describe.each(drivers)('group commit on %s', (driver) => {
  const plain = useTestServer(driver);
  // A queue so short that a burst overflows it.
  const shedding = useTestServer(driver, { env: { PARLEY_SEND_QUEUE_MAX: '4', PARLEY_SEND_BATCH_MAX: '4' } });

  /**
   * `size` people in a channel, each with a socket in its room (a channel rather than a group: an empty
   * group is shown to its invitees only with its first message, and the seqs here start at the burst).
   */
  async function group(on: ServerInUse, size: number) {
    const people = await Promise.all(
      Array.from({ length: size }, (_, i) => knownPerson(on.url, `p${i}`, axiom)),
    );
    const created = await api(on.url, 'POST', '/api/conversations', {
      token: people[0]?.token,
      body: { kind: 'channel', name: uniqueName('burst'), memberIds: people.slice(1).map((p) => p.id) },
    });
    expect(created.status).toBe(201);
    const conversationId: string = created.body.conversation.id;
    const opened = await Promise.all(people.map((p) => on.open(p.token)));
    for (const socket of opened) await subscribedTo(on.server, socket, [conversationId]);
    return { conversationId, people, sockets: opened };
  }

  const storedSeqs = async (on: ServerInUse, conversationId: string) =>
    (
      await on.server.db.query<{ seq: number }>(
        'select seq from messages where conversation_id = $1 order by seq',
        [conversationId],
      )
    ).map((row) => row.seq);

  it('stores a burst to several conversations in shared commits, with gap-free seqs in each', async () => {
    const groups = await Promise.all([group(plain, 3), group(plain, 3), group(plain, 3), group(plain, 3)]);
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
      expect(await storedSeqs(plain, conversationId)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    }
    // Rows committed together share their transaction's timestamp.
    const [{ commits }] = (await plain.server.db.query(
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
        return connected(shedding.sdk(person.token));
      }),
    );
    for (const client of clients) for (let i = 0; i < 15; i++) client.send(conversationId, `typed ${i}`);
    await Promise.all(
      clients.map((client) => until(client, () => client.pending.length === 0, 60_000, 'outbox empty')),
    );
    const rows = await shedding.server.db.query<{ sender_id: string; body: string; seq: number }>(
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
