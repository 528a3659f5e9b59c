import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, UnreadTotals, UserPresence } from '../../src/protocol/models.ts';
import type { ReceiptsResponse } from '../../src/protocol/rest.ts';
import { acme, knownPerson } from '../helpers/access.ts';
import { type ChildServer, killAllChildServers, startChildServer } from '../helpers/child-server.ts';
import { api, type ClientSocket, connect, type TestUser } from '../helpers/clients.ts';
import { openDirectBoth, postMessage, startChannel, uniqueName } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { type Arrivals, collect } from '../helpers/events.ts';
import { openedClients } from '../helpers/opened-clients.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { connected, until } from '../helpers/sdk.ts';
import { useTestServer } from '../helpers/test-server.ts';

const drivers = testDrivers();
/** Short, so that expiry is observable in a test: heartbeats every 200 ms. */
const PRESENCE_TTL_MS = 600;

/**
 * A round trip on the socket. Events the server emitted to it before answering arrive before the answer,
 * so afterwards "not received" means "not sent". `sync` is also answered only once the socket is in all of
 * its conversations' rooms, which makes it the "ready" signal after connecting.
 */
async function roundTrip(socket: ClientSocket) {
  const answer = await socket.emitWithAck('sync', { cursors: {} });
  if (!answer.ok) throw new Error(`sync refused: ${answer.error.message}`);
  return answer;
}

const presenceOf = (userId: string) => (presence: UserPresence) => presence.userId === userId;

/**
 * Awaits `perUser` presence events for each of `users` (counted together) at a recording socket, then
 * tells each user's statuses in the order they arrived: one event too many or too few shows there.
 */
async function statusesSeen(seen: Arrivals<UserPresence>, users: TestUser[], perUser: number) {
  const ids = new Set(users.map((user) => user.id));
  for (let i = 0; i < users.length * perUser; i++) await seen.next((p) => ids.has(p.userId));
  return users.map((user) => seen.received.filter(presenceOf(user.id)).map((p) => p.status));
}

/** Who a test talks through: users, sockets, SDK clients and REST calls against one server. */
function harness(url: () => string) {
  const opened = openedClients();

  const person = (label: string) => knownPerson(url(), label, acme);
  /** A connected tab, subscribed to all of its user's conversations. */
  const open = async (user: TestUser) => {
    const socket = await opened.open(url(), user.token);
    await roundTrip(socket);
    return socket;
  };
  const sdk = async (user: TestUser) => {
    return connected(opened.sdk(url(), user.token));
  };
  /** A DM both have open, nothing written in it yet: they share it, and so each other's presence. */
  const dm = async (a: TestUser, b: TestUser) => (await openDirectBoth(url(), a, b)).id;
  const channel = async (creator: TestUser, members: TestUser[]) =>
    (await startChannel(url(), creator, members)).id;
  const send = (user: TestUser, conversationId: string, body: string, mentions: string[] = []) =>
    postMessage(url(), user, conversationId, body, { mentions });
  const markRead = async (user: TestUser, conversationId: string, seq: number) => {
    const response = await api<{ lastReadSeq: number }>(
      url(),
      'POST',
      `/api/conversations/${conversationId}/read`,
      {
        token: user.token,
        body: { seq },
      },
    );
    expect(response.status).toBe(200);
    return response.body.lastReadSeq;
  };
  const mute = async (user: TestUser, conversationId: string, muted: boolean) => {
    const response = await api(url(), 'POST', `/api/conversations/${conversationId}/mute`, {
      token: user.token,
      body: { muted },
    });
    expect(response).toMatchObject({ status: 200, body: { muted } });
  };
  /** The conversation as the user's conversation list shows it. */
  const listed = async (user: TestUser, conversationId: string): Promise<Conversation> => {
    const response = await api<{ conversations: Conversation[] }>(url(), 'GET', '/api/conversations', {
      token: user.token,
    });
    expect(response.status).toBe(200);
    const found = response.body.conversations.find((c) => c.id === conversationId);
    if (!found) throw new Error(`${conversationId} is not in ${user.id}'s list`);
    return found;
  };
  const unread = async (user: TestUser): Promise<UnreadTotals> => {
    const response = await api<UnreadTotals>(url(), 'GET', '/api/me/unread', { token: user.token });
    expect(response.status).toBe(200);
    return response.body;
  };
  const receipts = async (user: TestUser, conversationId: string, seq: number) => {
    const response = await api<ReceiptsResponse>(
      url(),
      'GET',
      `/api/conversations/${conversationId}/receipts?seq=${seq}`,
      { token: user.token },
    );
    expect(response.status).toBe(200);
    return response.body;
  };
  const presence = async (viewer: TestUser, users: TestUser[]) => {
    const response = await api<{ presence: UserPresence[] }>(
      url(),
      'GET',
      `/api/presence?userIds=${users.map((u) => u.id).join(',')}`,
      { token: viewer.token },
    );
    expect(response.status).toBe(200);
    return response.body.presence;
  };
  const close = () => opened.closeAll();

  return { person, open, sdk, dm, channel, send, markRead, mute, listed, unread, receipts, presence, close };
}

describe.each(drivers)('presence and read state on %s', (driver) => {
  const parley = useTestServer(driver, { env: { PARLEY_PRESENCE_TTL_MS: String(PRESENCE_TTL_MS) } });
  const { person, open, sdk, dm, channel, send, markRead, mute, listed, unread, receipts, presence, close } =
    harness(() => parley.url);
  afterAll(close);

  describe('read state', () => {
    it("a read on one tab reaches the user's other tabs and clears the unread count within a second", async () => {
      const [ana, ben] = [await person('ana'), await person('ben')];
      const conversationId = await dm(ana, ben);
      await send(ana, conversationId, 'one');
      await send(ana, conversationId, 'two', [ben.id]);
      const [benTab1, benTab2, anaTab] = [await open(ben), await open(ben), await open(ana)];
      const readOnTab2 = collect(benTab2, 'conversation:read');
      const readByAtAna = collect(anaTab, 'conversation:read-by');
      expect(await listed(ben, conversationId)).toMatchObject({ unreadCount: 2, mentionCount: 1 });
      expect(await unread(ben)).toEqual({ unreadCount: 2, mentionCount: 1, conversationCount: 1 });

      const readAt = Date.now();
      const ack = await benTab1.emitWithAck('conversation:read', { conversationId, seq: 2 });

      expect(ack).toEqual({ ok: true, lastReadSeq: 2 });
      expect(await readOnTab2.next((e) => e.conversationId === conversationId, 1000)).toEqual({
        conversationId,
        lastReadSeq: 2,
        unreadCount: 0,
        mentionCount: 0,
      });
      expect(await listed(ben, conversationId)).toMatchObject({
        lastReadSeq: 2,
        unreadCount: 0,
        mentionCount: 0,
      });
      expect(await unread(ben)).toEqual({ unreadCount: 0, mentionCount: 0, conversationCount: 0 });
      expect(Date.now() - readAt).toBeLessThan(1000);
      // In a direct conversation the other member learns it too: "Seen".
      expect(await readByAtAna.next((e) => e.userId === ben.id)).toEqual({
        conversationId,
        userId: ben.id,
        lastReadSeq: 2,
      });
    });

    it('counts messages sent while the reader was offline as unread, and the ones mentioning them apart', async () => {
      const [ana, ben] = [await person('ana'), await person('ben')];
      const conversationId = await dm(ana, ben);

      await send(ana, conversationId, 'are you there?');
      await send(ana, conversationId, `@ben the invoice`, [ben.id]);
      await send(ana, conversationId, 'ping');

      expect(await listed(ben, conversationId)).toMatchObject({
        lastSeq: 3,
        lastReadSeq: 0,
        unreadCount: 3,
        mentionCount: 1,
        muted: false,
      });
      expect(await unread(ben)).toEqual({ unreadCount: 3, mentionCount: 1, conversationCount: 1 });
      // Sending advances the sender's own cursor: nothing of their own is unread to them.
      expect(await listed(ana, conversationId)).toMatchObject({
        lastReadSeq: 3,
        unreadCount: 0,
        mentionCount: 0,
      });
      expect(await unread(ana)).toEqual({ unreadCount: 0, mentionCount: 0, conversationCount: 0 });

      // A reply moves Ben's cursor to his own message: everything before it counts as read.
      await send(ben, conversationId, 'here');
      expect(await listed(ben, conversationId)).toMatchObject({
        lastReadSeq: 4,
        unreadCount: 0,
        mentionCount: 0,
      });
      expect(await listed(ana, conversationId)).toMatchObject({ lastReadSeq: 3, unreadCount: 1 });
    });

    it('a late or replayed read never moves the cursor back, and a read past the end stops at the end', async () => {
      const [ana, ben] = [await person('ana'), await person('ben')];
      const conversationId = await dm(ana, ben);
      for (const body of ['1', '2', '3', '4'])
        await send(ana, conversationId, body, body === '2' ? [ben.id] : []);
      const benTab = await open(ben);

      expect(await markRead(ben, conversationId, 1)).toBe(1);
      expect(await listed(ben, conversationId)).toMatchObject({ unreadCount: 3, mentionCount: 1 });
      expect(await markRead(ben, conversationId, 3)).toBe(3);
      expect(await listed(ben, conversationId)).toMatchObject({ unreadCount: 1, mentionCount: 0 });

      // A read of seq 2 from a slow tab, and the same read of 3 again, arrive late.
      expect(await benTab.emitWithAck('conversation:read', { conversationId, seq: 2 })).toEqual({
        ok: true,
        lastReadSeq: 3,
      });
      expect(await markRead(ben, conversationId, 3)).toBe(3);
      expect(await markRead(ben, conversationId, 0)).toBe(3);
      expect(await listed(ben, conversationId)).toMatchObject({ lastReadSeq: 3, unreadCount: 1 });

      // Reading "up to 1000" cannot mark messages read that do not exist yet.
      expect(await markRead(ben, conversationId, 1000)).toBe(4);
      await send(ana, conversationId, '5');
      expect(await listed(ben, conversationId)).toMatchObject({ lastSeq: 5, lastReadSeq: 4, unreadCount: 1 });
    });

    it('a read by someone who is not a member is refused and changes nothing', async () => {
      const [ana, ben, eve] = [await person('ana'), await person('ben'), await person('eve')];
      const conversationId = await dm(ana, ben);
      await send(ana, conversationId, 'private');
      const refused = await api(parley.url, 'POST', `/api/conversations/${conversationId}/read`, {
        token: eve.token,
        body: { seq: 1 },
      });
      expect(refused).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
      const eveTab = await open(eve);
      expect(await eveTab.emitWithAck('conversation:read', { conversationId, seq: 1 })).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
      expect(
        (
          await api(parley.url, 'GET', `/api/conversations/${conversationId}/receipts?seq=1`, {
            token: eve.token,
          })
        ).status,
      ).toBe(404);
      expect(await receipts(ana, conversationId, 1)).toEqual({ readCount: 0, readers: [] });
    });

    it('receipts in a direct conversation name who has seen a message', async () => {
      const [ana, ben] = [await person('ana'), await person('ben')];
      const conversationId = await dm(ana, ben);
      const first = await send(ana, conversationId, 'did you see the quote?');
      await send(ana, conversationId, 'second');

      expect(await receipts(ana, conversationId, first.seq)).toEqual({ readCount: 0, readers: [] });
      await markRead(ben, conversationId, first.seq);
      const seen = await receipts(ana, conversationId, first.seq);
      expect(seen).toEqual({
        readCount: 1,
        readers: [{ id: ben.id, displayName: 'ben', lastReadSeq: first.seq }],
      });
      // Ben has not got to the second one yet.
      expect(await receipts(ana, conversationId, 2)).toEqual({ readCount: 0, readers: [] });
      // The member list carries the same cursors.
      const members = (await listed(ana, conversationId)).members ?? [];
      expect(members.find((m) => m.id === ben.id)?.lastReadSeq).toBe(1);
    });

    it('receipts in a channel give only a count, and nobody is told who read what', async () => {
      const [ana, ben, cy] = [await person('ana'), await person('ben'), await person('cy')];
      const conversationId = await channel(ana, [ben, cy]);
      const message = await send(ana, conversationId, 'release at noon');
      const anaTab = await open(ana);
      const readBy = collect(anaTab, 'conversation:read-by');

      await markRead(ben, conversationId, message.seq);
      await markRead(cy, conversationId, message.seq);

      expect(await receipts(ana, conversationId, message.seq)).toEqual({ readCount: 2, readers: null });
      expect(await receipts(ben, conversationId, message.seq)).toEqual({ readCount: 2, readers: null });
      await roundTrip(anaTab);
      expect(readBy.received).toEqual([]);
      expect((await listed(ana, conversationId)).members).toBeNull();
    });

    it('a muted conversation leaves the unread badge, but its mentions still count', async () => {
      const [ana, ben, cy] = [await person('ana'), await person('ben'), await person('cy')];
      const direct = await dm(ana, ben);
      const noisy = await channel(cy, [ben]);
      await mute(ben, noisy, true);

      await send(ana, direct, 'hello');
      await send(ana, direct, 'again');
      await send(cy, noisy, 'deploy 1');
      await send(cy, noisy, 'deploy 2', [ben.id]);
      await send(cy, noisy, 'deploy 3');

      expect(await listed(ben, noisy)).toMatchObject({ muted: true, unreadCount: 3, mentionCount: 1 });
      expect(await listed(ben, direct)).toMatchObject({ muted: false, unreadCount: 2, mentionCount: 0 });
      expect(await unread(ben)).toEqual({ unreadCount: 2, mentionCount: 1, conversationCount: 1 });

      await mute(ben, noisy, false);
      expect(await unread(ben)).toEqual({ unreadCount: 5, mentionCount: 1, conversationCount: 2 });
      // Muting is Ben's alone.
      expect(await listed(cy, noisy)).toMatchObject({ muted: false });
      const outsider = await person('eve');
      expect(
        (
          await api(parley.url, 'POST', `/api/conversations/${noisy}/mute`, {
            token: outsider.token,
            body: { muted: true },
          })
        ).status,
      ).toBe(404);
    });

    it('an SDK tab shows a conversation read on another tab, its mentions included', async () => {
      const [ana, ben] = [await person('ana'), await person('ben')];
      const conversationId = await dm(ana, ben);
      await send(ana, conversationId, 'one');
      await send(ana, conversationId, '@ben two', [ben.id]);
      const benSdk = await sdk(ben);
      const view = () => benSdk.conversations.find((c) => c.id === conversationId);
      expect(view()).toMatchObject({ unreadCount: 2, mentionCount: 1 });

      await markRead(ben, conversationId, 2);

      await until(benSdk, () => view()?.lastReadSeq === 2, 2000, 'the read at the SDK tab');
      expect(view()).toMatchObject({ lastReadSeq: 2, unreadCount: 0, mentionCount: 0 });
    });

    it("the SDK does not count the user's own messages as unread", async () => {
      const [ana, ben] = [await person('ana'), await person('ben')];
      const conversationId = await dm(ana, ben);
      const anaSdk = await sdk(ana);
      const view = () => anaSdk.conversations.find((c) => c.id === conversationId);

      anaSdk.send(conversationId, 'mine');
      await until(anaSdk, () => anaSdk.pending.length === 0 && view()?.lastSeq === 1, 5000, 'the send');

      expect(await listed(ana, conversationId)).toMatchObject({ lastReadSeq: 1, unreadCount: 0 });
      expect(view()).toMatchObject({ lastSeq: 1, lastReadSeq: 1, unreadCount: 0 });
    });
  });

  describe('presence', () => {
    it('the other member sees a user come online and go offline with a last-seen time', async () => {
      const [ana, ben] = [await person('ana'), await person('ben')];
      await dm(ana, ben);
      const benTab = await open(ben);
      const seenByBen = collect(benTab, 'presence');
      expect(await presence(ben, [ana])).toEqual([{ userId: ana.id, status: 'offline', lastSeenAt: null }]);

      const anaTab = await open(ana);
      expect(await seenByBen.next(presenceOf(ana.id))).toEqual({
        userId: ana.id,
        status: 'online',
        lastSeenAt: null,
      });
      expect(await presence(ben, [ana])).toMatchObject([{ userId: ana.id, status: 'online' }]);

      const before = Date.now();
      anaTab.close();
      const offline = await seenByBen.next((p) => p.userId === ana.id && p.status === 'offline');
      expect(offline.lastSeenAt).not.toBeNull();
      expect(Math.abs(Date.parse(offline.lastSeenAt ?? '') - before)).toBeLessThan(5000);
      expect(await presence(ben, [ana])).toEqual([offline]);
      // A sync tells a (re)connecting client the same.
      expect((await roundTrip(benTab)).presence).toEqual([offline]);
    });

    it('a user is away only when every one of their tabs is idle', async () => {
      const [ana, ben] = [await person('ana'), await person('ben')];
      await dm(ana, ben);
      const benTab = await open(ben);
      const seenByBen = collect(benTab, 'presence');
      const status = (status: UserPresence['status']) => (p: UserPresence) =>
        p.userId === ana.id && p.status === status;
      const anaTab1 = await open(ana);
      await seenByBen.next(status('online'));
      const anaTab2 = await open(ana);

      // One idle tab of two: still online, and nobody is told otherwise.
      expect(await anaTab1.emitWithAck('presence:set', { status: 'away' })).toEqual({ ok: true });
      expect(await presence(ben, [ana])).toMatchObject([{ status: 'online' }]);
      await roundTrip(benTab);
      expect(seenByBen.received.filter(presenceOf(ana.id)).map((p) => p.status)).toEqual(['online']);

      // Both idle: away.
      expect(await anaTab2.emitWithAck('presence:set', { status: 'away' })).toEqual({ ok: true });
      await seenByBen.next(status('away'));
      expect(await presence(ben, [ana])).toMatchObject([{ status: 'away' }]);

      // Active again on one tab: online; closing that tab leaves only the idle one: away.
      await anaTab2.emitWithAck('presence:set', { status: 'online' });
      await seenByBen.next(status('online'));
      anaTab2.close();
      await seenByBen.next(status('away'));
      anaTab1.close();
      await seenByBen.next(status('offline'));
      expect(seenByBen.received.filter(presenceOf(ana.id)).map((p) => p.status)).toEqual([
        'online',
        'away',
        'online',
        'away',
        'offline',
      ]);
    });

    it("nobody outside the user's conversations hears of their presence", async () => {
      const [ana, ben, cy] = [await person('ana'), await person('ben'), await person('cy')];
      await dm(ana, ben);
      // Cy shares a conversation with Ben only.
      await dm(cy, ben);
      const [benTab, cyTab] = [await open(ben), await open(cy)];
      const seenByBen = collect(benTab, 'presence');
      const seenByCy = collect(cyTab, 'presence');

      const anaTab = await open(ana);
      await seenByBen.next((p) => p.userId === ana.id && p.status === 'online');
      await anaTab.emitWithAck('presence:set', { status: 'away' });
      await seenByBen.next((p) => p.userId === ana.id && p.status === 'away');
      anaTab.close();
      await seenByBen.next((p) => p.userId === ana.id && p.status === 'offline');

      await roundTrip(cyTab);
      expect(seenByCy.received.filter(presenceOf(ana.id))).toEqual([]);
      // Nor does a sync list Ana among Cy's contacts.
      expect((await roundTrip(cyTab)).presence.map((p) => p.userId)).toEqual([ben.id]);
    });

    it('a killed tab takes the user offline', async () => {
      const [ana, ben] = [await person('ana'), await person('ben')];
      await dm(ana, ben);
      const benTab = await open(ben);
      const seenByBen = collect(benTab, 'presence');
      const anaTab = await open(ana);
      await seenByBen.next((p) => p.userId === ana.id && p.status === 'online');

      // The tab's connection goes away without Socket.IO's goodbye (a crashed or killed page).
      anaTab.io.engine.close();

      const offline = await seenByBen.next((p) => p.userId === ana.id && p.status === 'offline');
      expect(offline.lastSeenAt).not.toBeNull();
      expect(await presence(ben, [ana])).toMatchObject([{ status: 'offline' }]);
    });

    it('a tab that closes right after connecting leaves no ghost', async () => {
      const ben = await person('ben');
      const visitors = await Promise.all(['v1', 'v2', 'v3', 'v4', 'v5', 'v6'].map(person));
      for (const visitor of visitors) await dm(visitor, ben);
      const seenByBen = collect(await open(ben), 'presence');

      await Promise.all(
        visitors.map(async (visitor) => {
          const tab = await connect(parley.url, visitor.token);
          tab.close();
        }),
      );
      // Each tab's coming up and going away reach Ben in that order. Overtaken by its own "connected", a
      // closed tab would leave a ghost: online, refreshed by this node's heartbeat for as long as it runs.
      expect(await statusesSeen(seenByBen, visitors, 2)).toEqual(visitors.map(() => ['online', 'offline']));

      const statuses = (await presence(ben, visitors)).map((p) => `${p.userId}: ${p.status}`);
      expect(statuses).toEqual(visitors.map((v) => `${v.id}: offline`));
    });

    it('an idle signal sent right after connecting is not undone by the connection coming up', async () => {
      const ben = await person('ben');
      const visitors = await Promise.all(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8'].map(person));
      for (const visitor of visitors) await dm(visitor, ben);
      const seenByBen = collect(await open(ben), 'presence');

      const tabs = await Promise.all(
        visitors.map(async (visitor) => {
          const tab = await connect(parley.url, visitor.token);
          await tab.emitWithAck('presence:set', { status: 'away' });
          return tab;
        }),
      );

      try {
        // The connection coming up is announced before the idle signal; overtaking it, "online" would come last.
        expect(await statusesSeen(seenByBen, visitors, 2)).toEqual(visitors.map(() => ['online', 'away']));
        const statuses = (await presence(ben, visitors)).map((p) => `${p.userId}: ${p.status}`);
        expect(statuses).toEqual(visitors.map((v) => `${v.id}: away`));
      } finally {
        for (const tab of tabs) tab.close();
      }
    });

    it('the SDK holds no presence while disconnected and takes it afresh from the next sync', async () => {
      const [ana, ben] = [await person('ana'), await person('ben')];
      await dm(ana, ben);
      const benTab = await open(ben);
      const client = await sdk(ana);
      await until(client, () => client.presence(ben.id)?.status === 'online', 5000, 'ben online');

      client.close();
      await until(client, () => client.status === 'offline', 5000, 'ana offline');
      // What it held is stale now: ben's going offline does not reach a disconnected client.
      expect(client.presence(ben.id)).toBeUndefined();
      benTab.close();
      await expect.poll(async () => (await presence(ana, [ben]))[0]?.status).toBe('offline');
      expect(client.presence(ben.id)).toBeUndefined();

      client.connect();
      await until(client, () => client.status === 'connected', 5000, 'ana connected');
      expect(client.presence(ben.id)).toMatchObject({ userId: ben.id, status: 'offline' });
      expect(client.presence(ben.id)?.lastSeenAt).not.toBeNull();
    });

    it('a user back online has no last-seen time', async () => {
      const [ana, ben] = [await person('ana'), await person('ben')];
      await dm(ana, ben);
      const benTab = await open(ben);
      const seenByBen = collect(benTab, 'presence');
      (await open(ana)).close();
      await seenByBen.next((p) => p.userId === ana.id && p.status === 'offline');

      await open(ana);
      const online = await seenByBen.next((p) => p.userId === ana.id && p.status === 'online');
      // UserPresence.lastSeenAt: "null if never seen or online now".
      expect(online).toEqual({ userId: ana.id, status: 'online', lastSeenAt: null });
      expect(await presence(ben, [ana])).toEqual([online]);
    });

    it('GET /api/presence answers only about users the caller may message', async () => {
      /** Each of an organisation of their own, so that only the kinds of organisation meet here. */
      const external = (label: string, orgKind: 'client' | 'vendor') =>
        knownPerson(parley.url, label, { orgId: uniqueName(`org-${label}`), orgKind });
      const [client, vendor, ana] = [
        await external('client', 'client'),
        await external('vendor', 'vendor'),
        await person('ana'),
      ];

      expect(await presence(client, [ana])).toMatchObject([{ userId: ana.id, status: 'offline' }]);
      const refused = await api(parley.url, 'GET', `/api/presence?userIds=${ana.id},${vendor.id}`, {
        token: client.token,
      });
      expect(refused).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
      expect(JSON.stringify(refused.body)).not.toContain('offline');
    });
  });
});

// Typing is relayed through rooms and never stored: one driver is enough.
describe('typing', () => {
  const parley = useTestServer('pglite');
  const { person, open, sdk, dm, send, close } = harness(() => parley.url);
  afterAll(close);

  it('a start reaches the other member and not a non-member, whose own signal is refused; a stop ends it', async () => {
    const [ana, ben, eve] = [await person('ana'), await person('ben'), await person('eve')];
    const conversationId = await dm(ana, ben);
    await dm(eve, ben);
    const [anaTab, benTab, eveTab] = [await open(ana), await open(ben), await open(eve)];
    const atBen = collect(benTab, 'typing');
    const atEve = collect(eveTab, 'typing');
    const atAna = collect(anaTab, 'typing');

    expect(await anaTab.emitWithAck('typing', { conversationId, typing: true })).toEqual({ ok: true });
    expect(await atBen.next((e) => e.typing)).toEqual({ conversationId, userId: ana.id, typing: true });

    anaTab.emit('typing', { conversationId, typing: false });
    expect(await atBen.next((e) => !e.typing)).toEqual({ conversationId, userId: ana.id, typing: false });

    // Eve is not in the conversation: she hears nothing and cannot type into it.
    expect(await eveTab.emitWithAck('typing', { conversationId, typing: true })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await roundTrip(eveTab);
    await roundTrip(anaTab);
    expect(atEve.received).toEqual([]);
    expect(atAna.received).toEqual([]);
    expect(atBen.received).toHaveLength(2);
  });

  it("the user's own other tabs are not told of their own typing", async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const conversationId = await dm(ana, ben);
    const [anaTab1, anaTab2, benTab] = [await open(ana), await open(ana), await open(ben)];
    const atBen = collect(benTab, 'typing');
    const atAnaTab2 = collect(anaTab2, 'typing');

    anaTab1.emit('typing', { conversationId, typing: true });
    await atBen.next((e) => e.typing);
    await roundTrip(anaTab2);

    expect(atAnaTab2.received).toEqual([]);
  });

  it('the SDK shows a typist until 5 s without a refresh, or until their message arrives', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const conversationId = await dm(ana, ben);
    const anaTab = await open(ana);
    const benSdk = await sdk(ben);
    const typingAtBen = (predicate: (userIds: readonly string[]) => boolean, timeoutMs: number) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`typing at ben was ${JSON.stringify(benSdk.typing(conversationId))}`));
        }, timeoutMs);
        const off = benSdk.on('typing', (id, userIds) => {
          if (id !== conversationId || !predicate(userIds)) return;
          clearTimeout(timer);
          off();
          resolve(Date.now());
        });
      });

    const shown = typingAtBen((ids) => ids.includes(ana.id), 5000);
    anaTab.emit('typing', { conversationId, typing: true });
    const shownAt = await shown;
    expect(benSdk.typing(conversationId)).toEqual([ana.id]);
    const expiredAt = await typingAtBen((ids) => ids.length === 0, 8000);
    expect(expiredAt - shownAt).toBeGreaterThanOrEqual(4900);
    expect(expiredAt - shownAt).toBeLessThan(6500);

    // A message ends the typing at once, long before the 5 s.
    const shownAgain = typingAtBen((ids) => ids.includes(ana.id), 5000);
    anaTab.emit('typing', { conversationId, typing: true });
    await shownAgain;
    const cleared = typingAtBen((ids) => ids.length === 0, 3000);
    const sentAt = Date.now();
    await send(ana, conversationId, 'done typing');
    expect((await cleared) - sentAt).toBeLessThan(2000);
  });
});

describe.runIf(drivers.includes('postgres'))('presence after a server is killed', () => {
  let database: TestDatabase;
  let server: ChildServer;
  const { person, open, dm, presence, close } = harness(() => server.url);

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startChildServer({
      env: { DATABASE_URL: database.url, PARLEY_PRESENCE_TTL_MS: String(PRESENCE_TTL_MS) },
    });
  });
  afterAll(async () => {
    close();
    await killAllChildServers();
    await database?.drop();
  });

  const connectionRows = async (userId: string) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await client.query<{ count: number }>(
        'select count(*)::int as count from presence_connections where user_id = $1',
        [userId],
      );
      return result.rows[0]?.count;
    } finally {
      await client.end();
    }
  };

  it('a user whose server was killed is offline after the TTL, with no ghost, once it is back', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    await dm(ana, ben);
    const benBefore = await open(ben);
    const seenBefore = collect(benBefore, 'presence');
    const anaTab = await open(ana);
    await seenBefore.next((p) => p.userId === ana.id && p.status === 'online');
    expect(await connectionRows(ana.id)).toBe(1);

    await server.kill('SIGKILL');
    // Ana does not come back (the test's sockets never reconnect); her row is all that is left of her.
    anaTab.close();
    benBefore.close();
    const killedAt = Date.now();
    await server.restart();

    const benAfter = await connect(server.url, ben.token);
    const seenAfter = collect(benAfter, 'presence');
    const snapshot = (await roundTrip(benAfter)).presence.find(presenceOf(ana.id));
    // Either the sweep came before Ben's sync (the snapshot says so) or it is pushed to him now.
    const offline =
      snapshot?.status === 'offline' && snapshot.lastSeenAt !== null
        ? snapshot
        : await seenAfter.next((p) => p.userId === ana.id && p.status === 'offline', PRESENCE_TTL_MS * 10);
    benAfter.close();

    expect(offline.lastSeenAt).not.toBeNull();
    // The last sign of life is the last refresh before the kill, within one TTL of it.
    expect(Date.parse(offline.lastSeenAt ?? '')).toBeLessThanOrEqual(killedAt + PRESENCE_TTL_MS + 1000);
    expect(await presence(ben, [ana])).toEqual([offline]);
    expect(await connectionRows(ana.id)).toBe(0);
  }, 60_000);
});
