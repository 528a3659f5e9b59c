// Two nodes on one PostgreSQL and one Redis: every kind of live event reaches a member whose socket is on
// the other node — messages, edits, deletes and reactions (changes in the stream), typing, presence, read
// cursors and receipts, and who is in a conversation (joining its room across nodes, and leaving it: a
// removed member hears nothing more).
import { afterAll, describe, expect, it } from 'vitest';
import { socketIoFanOut } from '../../src/server/fanout/socket-io-fanout.ts';
import { acme, knownPerson } from '../helpers/access.ts';
import { type ClientSocket, openSocket, type TestUser } from '../helpers/clients.ts';
import { openDirectBoth, postMessage, startChannel, startConversation } from '../helpers/conversations.ts';
import { postgresServerAvailable } from '../helpers/drivers.ts';
import { collectMessages, nextEvent } from '../helpers/events.ts';
import { useNodesOnRedis } from '../helpers/nodes-on-redis.ts';
import { redisServerAvailable } from '../helpers/redis-server.ts';

describe.runIf(postgresServerAvailable && redisServerAvailable)('live events across two nodes', () => {
  const { nodes } = useNodesOnRedis(2);
  const sockets: ClientSocket[] = [];
  afterAll(() => {
    for (const socket of sockets) socket.disconnect();
  });

  const [a, b] = [() => nodes[0]!.url, () => nodes[1]!.url];
  /** A synced socket of the user on node `url`. */
  async function socketOn(url: string, user: TestUser): Promise<ClientSocket> {
    const socket = await openSocket(url, user.token).connected;
    sockets.push(socket);
    await socket.emitWithAck('sync', { cursors: {} });
    return socket;
  }
  const people = async (label: string) => ({
    ana: await knownPerson(a(), `${label}-ana`, acme),
    ben: await knownPerson(a(), `${label}-ben`, acme),
  });

  it('carries messages and their edits, deletes and reactions', async () => {
    const { ana, ben } = await people('changes');
    const dm = await openDirectBoth(a(), ana, ben);
    const onB = await socketOn(b(), ben);
    const arrived = collectMessages(onB);
    const message = await postMessage(a(), ana, dm.id, 'Pallets leave at 4 pm.');
    const anaOnA = await socketOn(a(), ana);
    expect(
      (await anaOnA.emitWithAck('message:edit', { messageId: message.id, body: 'Pallets leave at 5 pm.' }))
        .ok,
    ).toBe(true);
    expect((await anaOnA.emitWithAck('reaction:add', { messageId: message.id, emoji: '👍' })).ok).toBe(true);
    expect((await anaOnA.emitWithAck('message:delete', { messageId: message.id })).ok).toBe(true);
    const all = await arrived.waitFor(4);
    expect(all.map((entry) => [entry.seq, entry.kind, entry.change?.type ?? null])).toEqual([
      [1, 'message', null],
      [2, 'change', 'message.edited'],
      [3, 'change', 'reaction.added'],
      [4, 'change', 'message.deleted'],
    ]);
  });

  it('carries typing, presence, read cursors and receipts', async () => {
    const { ana, ben } = await people('signals');
    const dm = await openDirectBoth(a(), ana, ben);
    await postMessage(a(), ben, dm.id, 'Is order 1234 on its way?');
    const benOnB = await socketOn(b(), ben);
    const anaOnB = await socketOn(b(), ana);

    const online = nextEvent(benOnB, 'presence', (p) => p.userId === ana.id && p.status === 'online');
    const anaOnA = await socketOn(a(), ana);
    await online;

    const typing = nextEvent(benOnB, 'typing', (p) => p.userId === ana.id && p.typing);
    anaOnA.emit('typing', { conversationId: dm.id, typing: true });
    await typing;

    // Ana reads on node A: her tab on node B moves its cursor, and Ben sees the receipt there.
    const ownTab = nextEvent(
      anaOnB,
      'conversation:read',
      (p) => p.conversationId === dm.id && p.lastReadSeq === 1,
    );
    const receipt = nextEvent(
      benOnB,
      'conversation:read-by',
      (p) => p.userId === ana.id && p.lastReadSeq === 1,
    );
    expect((await anaOnA.emitWithAck('conversation:read', { conversationId: dm.id, seq: 1 })).ok).toBe(true);
    await Promise.all([ownTab, receipt]);
  });

  it('joins sockets to a room at once here and before the next broadcast on the other node', async () => {
    const { ana, ben } = await people('join');
    const anaOnA = await socketOn(a(), ana);
    const benOnB = await socketOn(b(), ben);
    const room = `joined-${ana.id}`;
    const heard = [anaOnA, benOnB].map((socket) =>
      nextEvent(socket, 'typing', (payload) => payload.conversationId === room, 3000),
    );
    // What a first message does: join its members' sockets, then broadcast at once, with nothing between.
    const fanOut = socketIoFanOut(nodes[0]!.io);
    await fanOut.addUsersToConversation([ana.id, ben.id], room);
    fanOut.toConversation(room, 'typing', { conversationId: room, userId: 'someone', typing: true });
    await Promise.all(heard);
  });

  it('delivers the first messages of a new group at once, on the node that stored them and the other', async () => {
    const members: TestUser[] = [];
    for (let i = 0; i < 8; i++) members.push(await knownPerson(a(), `first-${i}`, acme));
    const [creator, ...others] = members;
    // A group nobody has written in yet is shown to its members with its first message, which also joins
    // their sockets to its room: on the node that stored it, before the message is broadcast — not once
    // Redis echoes the join back — and on the other node before the broadcast reaches it.
    const { id: conversationId } = await startConversation(a(), creator!, {
      kind: 'group',
      memberIds: others.map((member) => member.id),
      name: 'first',
    });
    const sockets = await Promise.all(members.map((member, i) => socketOn(i % 2 === 0 ? a() : b(), member)));
    const arrivals = sockets.map((socket) => collectMessages(socket));
    // The members on node A write, in bursts that the node stores in batches.
    const writers = [0, 2, 4, 6];
    const sent = [];
    for (let n = 0; n < 20; n++) {
      const writer = writers[n % writers.length]!;
      sent.push(
        sockets[writer]!.emitWithAck('message:send', {
          conversationId,
          clientMsgId: `first-${n}`,
          body: `hi ${n}`,
        }),
      );
      if (n % 5 === 4) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const acks = (await Promise.all(sent)) as { ok: boolean; message: { seq: number } }[];
    expect(acks.every((ack) => ack.ok)).toBe(true);
    for (const [i, arrived] of arrivals.entries()) {
      // Every message but the member's own, each once.
      const expected = acks.filter((_, n) => writers[n % writers.length] !== i).map((ack) => ack.message.seq);
      const got = await arrived.waitFor(expected.length);
      expect(got.map((message) => message.seq).sort((x, y) => x - y)).toEqual(expected.sort((x, y) => x - y));
    }
  });

  it('adds a member’s sockets on the other node to a new conversation, and removes them from it', async () => {
    const { ana, ben } = await people('rooms');
    const benOnB = await socketOn(b(), ben);
    const joined = nextEvent(benOnB, 'conversation:joined', () => true);
    const channel = await startChannel(a(), ana, [ben], 'nodes');
    expect((await joined).payload.conversation.id).toBe(channel.id);
    const arrived = collectMessages(benOnB);
    await postMessage(a(), ana, channel.id, 'Welcome to the channel.');
    expect((await arrived.waitFor(1)).map((message) => message.body)).toEqual(['Welcome to the channel.']);

    const left = nextEvent(benOnB, 'conversation:left', (p) => p.conversationId === channel.id);
    const removed = await fetch(`${a()}/api/conversations/${channel.id}/members/${ben.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ana.token}` },
    });
    expect(removed.status).toBe(204);
    await left;
    await postMessage(a(), ana, channel.id, 'Ben is gone.');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(arrived.received.map((message) => message.body)).not.toContain('Ben is gone.');
  });
});
