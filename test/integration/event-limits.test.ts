// One budget per user over every socket event and REST request, and typing and presence relayed at most
// once per interval whatever a client sends. Through real servers and sockets on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import type { UserPresence } from '../../src/protocol/models.ts';
import type { ParleyServer } from '../../src/server/app.ts';
import { axiom, knownPerson, type Person, request, subscribedTo } from '../helpers/access.ts';
import { api } from '../helpers/clients.ts';
import { openDirectBoth } from '../helpers/conversations.ts';
import { nextEvent } from '../helpers/events.ts';
import { useTestServers } from '../helpers/servers.ts';

const EVENTS_PER_10S = 300;
const WRITES_PER_MINUTE = 10;
const RELAY_INTERVAL_MS = 2000;

describe('event limits', () => {
  const servers = useTestServers({
    /** The event budget and a small write allowance; typing and presence relayed as they come. */
    budgeted: {
      PARLEY_RATE_EVENTS_PER_10S: String(EVENTS_PER_10S),
      PARLEY_RATE_WRITES_PER_MINUTE: String(WRITES_PER_MINUTE),
    },
    /** A budget nobody meets; typing and presence coalesced as in production. */
    coalescing: {
      PARLEY_TYPING_RELAY_MS: String(RELAY_INTERVAL_MS),
      PARLEY_PRESENCE_RELAY_MS: String(RELAY_INTERVAL_MS),
    },
  });

  const open = (server: ParleyServer, person: Person) => servers.open(server, person.token);
  const startDirect = async (server: ParleyServer, from: Person, to: Person): Promise<string> => {
    const started = await api(server.url, 'POST', '/api/conversations', {
      token: from.token,
      body: { kind: 'direct', memberIds: [to.id] },
    });
    expect(started.status).toBe(201);
    return started.body.conversation.id;
  };

  /** Two people in a DM on the coalescing server, both connected and subscribed. */
  const typistAndWatcher = async () => {
    const [typist, watcher] = await Promise.all([
      knownPerson(servers.coalescing.url, 'typist', axiom),
      knownPerson(servers.coalescing.url, 'watcher', axiom),
    ]);
    const { id: conversationId } = await openDirectBoth(servers.coalescing.url, typist, watcher);
    const [typistSocket, watcherSocket] = await Promise.all([
      open(servers.coalescing, typist),
      open(servers.coalescing, watcher),
    ]);
    await subscribedTo(servers.coalescing, typistSocket, [conversationId]);
    await subscribedTo(servers.coalescing, watcherSocket, [conversationId]);
    return { conversationId, typistSocket, watcherSocket };
  };

  describe('the event budget', () => {
    it('refuses most of 1,000 socket mark-reads sent right after REST writes were limited, with retryAfterMs', async () => {
      const [reader, other] = await Promise.all([
        knownPerson(servers.budgeted.url, 'reader', axiom),
        knownPerson(servers.budgeted.url, 'other', axiom),
      ]);
      const url = servers.budgeted.url;
      const dm = await startDirect(servers.budgeted, reader, other);
      const restRead = () =>
        request(url, 'POST', `/api/conversations/${dm}/read`, { token: reader.token, body: { seq: 0 } });
      let restWrites = 1;
      while ((await restRead()).status === 200) restWrites += 1;
      expect(restWrites).toBe(WRITES_PER_MINUTE);

      const socket = await open(servers.budgeted, reader);
      const acks = await Promise.all(
        Array.from({ length: 1000 }, () =>
          socket.emitWithAck('conversation:read', { conversationId: dm, seq: 0 }),
        ),
      );
      const accepted = acks.filter((ack) => ack.ok).length;
      const refused = acks.filter((ack) => !ack.ok);
      console.log(
        `[event-limits] 1000 socket mark-reads after ${restWrites + 1} REST writes: ` +
          `${accepted} accepted, ${refused.length} refused rate_limited`,
      );
      // Signing in, the REST writes (the refused one too) and the mark-reads all drew on one budget.
      expect(accepted).toBeLessThanOrEqual(EVENTS_PER_10S - restWrites);
      expect(refused.length).toBeGreaterThanOrEqual(1000 - EVENTS_PER_10S);
      for (const ack of refused) {
        expect(ack).toMatchObject({
          ok: false,
          error: { code: 'rate_limited', retryAfterMs: expect.any(Number) },
        });
        expect(!ack.ok && ack.error.retryAfterMs).toBeGreaterThan(0);
      }
      expect(socket.connected).toBe(true);

      // The same budget covers REST reads; another user's is untouched.
      const listed = await request(url, 'GET', '/api/conversations', { token: reader.token });
      expect([listed.status, listed.body.error.code]).toEqual([429, 'rate_limited']);
      expect(Number(listed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const otherSocket = await open(servers.budgeted, other);
      expect(await otherSocket.emitWithAck('conversation:read', { conversationId: dm, seq: 0 })).toEqual({
        ok: true,
        lastReadSeq: 0,
      });
    });

    it('charges a search five cheap reads and answers searches over the budget 429 rate_limited', async () => {
      const searcher = await knownPerson(servers.budgeted.url, 'searcher', axiom);
      const url = servers.budgeted.url;
      const search = () => request(url, 'GET', '/api/search?q=invoice', { token: searcher.token });
      let searches = 0;
      let refused = await search();
      // Bounded, so that a server that never refuses fails here rather than at the test's timeout.
      while (refused.status === 200 && searches < EVENTS_PER_10S / 2) {
        searches += 1;
        refused = await search();
      }
      console.log(`[event-limits] searches within a budget of ${EVENTS_PER_10S}: ${searches}, then 429`);
      // GET /api/me took one point; each search takes five.
      expect(searches).toBe(Math.floor((EVENTS_PER_10S - 1) / 5));
      expect([refused.status, refused.body.error.code]).toEqual([429, 'rate_limited']);
      expect(refused.body.error.retryAfterMs).toBeGreaterThan(0);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter >= 1 && retryAfter <= 10).toBe(true);
    });
  });

  describe('coalesced relays', () => {
    it('relays a burst of 5,000 typing signals as a bounded few, ending with the final stop', async () => {
      const { conversationId, typistSocket, watcherSocket } = await typistAndWatcher();
      const heard: boolean[] = [];
      watcherSocket.on('typing', ({ typing }) => heard.push(typing));
      const stopped = nextEvent(watcherSocket, 'typing', ({ typing }) => !typing, 10_000);

      const sentAt = Date.now();
      for (let i = 0; i < 5000; i++) typistSocket.emit('typing', { conversationId, typing: true });
      typistSocket.emit('typing', { conversationId, typing: false });
      const { at } = await stopped;
      console.log(
        `[event-limits] 5001 typing signals: the other member heard ${heard.length} ` +
          `(${heard.slice(0, 3).join(', ')}${heard.length > 3 ? ', …' : ''}), the stop ${at - sentAt} ms after the burst began`,
      );
      expect(heard.length).toBeLessThanOrEqual(3);
      expect(heard[0]).toBe(true);
      expect(heard.at(-1)).toBe(false);
    });

    it('shows a typist typing again who sends a message and resumes typing within the interval', async () => {
      const { conversationId, typistSocket, watcherSocket } = await typistAndWatcher();
      const first = nextEvent(watcherSocket, 'typing', ({ typing }) => typing, 5_000);
      typistSocket.emit('typing', { conversationId, typing: true });
      await first;
      // The message ends the typist's typing on the watcher's screen; the new "typing" must bring it back.
      typistSocket.emit('typing', { conversationId, typing: false });
      const again = nextEvent(watcherSocket, 'typing', ({ typing }) => typing, 3 * RELAY_INTERVAL_MS);
      typistSocket.emit('typing', { conversationId, typing: true });
      await again;
    });

    it('relays a user flapping between away and online 200 times as a bounded few, ending in their last state', async () => {
      const [flapper, watcher] = await Promise.all([
        knownPerson(servers.coalescing.url, 'flapper', axiom),
        knownPerson(servers.coalescing.url, 'watcher', axiom),
      ]);
      await openDirectBoth(servers.coalescing.url, flapper, watcher);
      const watcherSocket = await open(servers.coalescing, watcher);
      const heard: UserPresence['status'][] = [];
      watcherSocket.on('presence', ({ userId, status }) => {
        if (userId === flapper.id) heard.push(status);
      });
      const flapperSocket = await open(servers.coalescing, flapper);
      const away = nextEvent(
        watcherSocket,
        'presence',
        (p) => p.userId === flapper.id && p.status === 'away',
        10_000,
      );

      const acks = [];
      for (let i = 0; i < 200; i++) {
        acks.push(flapperSocket.emitWithAck('presence:set', { status: i % 2 === 0 ? 'away' : 'online' }));
      }
      acks.push(flapperSocket.emitWithAck('presence:set', { status: 'away' }));
      expect((await Promise.all(acks)).every((ack) => ack.ok)).toBe(true);
      await away;
      // Whatever the server sent the watcher before answering this has arrived by now.
      expect(await watcherSocket.emitWithAck('sync', { cursors: {} })).toMatchObject({ ok: true });
      console.log(
        `[event-limits] 201 presence changes: the other member heard ${heard.length} ` +
          `(${heard.slice(0, 3).join(', ')}${heard.length > 3 ? ', …' : ''})`,
      );
      expect(heard[0]).toBe('online');
      expect(heard.at(-1)).toBe('away');
      expect(heard.length).toBeLessThanOrEqual(3);
    });
  });
});
