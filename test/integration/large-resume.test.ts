// Resuming with more cursors than one `sync` may carry: the server answers an oversized request
// `invalid_payload` instead of dropping the connection, and the SDK resumes a user in thousands of
// conversations in several requests, without gap. Through a real server, socket and SDK.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SYNC_MAX_CURSORS } from '../../src/protocol/sync-limits.ts';
import { userRoom } from '../../src/server/fanout/fanout.ts';
import { insertConversation } from '../../src/server/store/conversations.ts';
import { addMembers } from '../../src/server/store/members.ts';
import { appendMessage } from '../../src/server/store/message-append.ts';
import { axiom, knownPerson, type Person } from '../helpers/access.ts';
import { disconnection } from '../helpers/events.ts';
import { connected, seqsOf, until } from '../helpers/sdk.ts';
import { SERVERS_STARTUP_TIMEOUT_MS } from '../helpers/servers.ts';
import { useTestServer } from '../helpers/test-server.ts';

const CONVERSATIONS = 3100;
/** Creating, opening and resuming thousands of conversations takes a minute or more on a busy machine. */
const RESUME_TIMEOUT_MS = 240_000;

describe('large resume', () => {
  const parley = useTestServer('pglite', { startupTimeoutMs: SERVERS_STARTUP_TIMEOUT_MS });
  const open = (person: Person) => parley.open(person.token);

  /** Group conversations of the two, straight through the store: thousands of REST calls would take minutes. */
  const groupsOf = async (owner: Person, other: Person, count: number): Promise<string[]> => {
    const ids = Array.from({ length: count }, () => randomUUID());
    for (let start = 0; start < count; start += 500) {
      await parley.server.db.transaction(async (tx) => {
        for (const id of ids.slice(start, start + 500)) {
          await insertConversation(tx, {
            id,
            kind: 'group',
            name: null,
            directKey: null,
            policy: null,
            createdBy: owner.id,
          });
          await addMembers(tx, id, [owner.id, other.id]);
        }
      });
    }
    return ids;
  };
  /** One more message in each conversation, stored without telling anyone: only a sync can bring it. */
  const postQuietly = async (sender: Person, conversationIds: readonly string[], body: string) => {
    for (let start = 0; start < conversationIds.length; start += 500) {
      await parley.server.db.transaction(async (tx) => {
        for (const conversationId of conversationIds.slice(start, start + 500)) {
          const appended = await appendMessage(tx, {
            conversationId,
            senderId: sender.id,
            clientMsgId: randomUUID(),
            body,
            mentions: [],
            kind: 'message',
          });
          if (appended.kind !== 'appended') throw new Error(`not appended: ${appended.kind}`);
        }
      });
    }
  };

  it('answers a sync of more cursors than one request may carry invalid_payload and keeps the socket', async () => {
    const user = await knownPerson(parley.url, 'hoarder', axiom);
    const socket = await open(user);
    let dropped = false;
    void disconnection(socket).then(() => {
      dropped = true;
    });
    // 3000 cursors of UUIDs: ~150 KB, well past the 32 KB a message's frame needs.
    const cursors = Object.fromEntries(Array.from({ length: 3000 }, () => [randomUUID(), 0]));
    const answer = await socket.timeout(10_000).emitWithAck('sync', { cursors });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    console.log(`[large-resume] a sync of 3000 cursors: ${JSON.stringify(answer).slice(0, 160)}`);
    expect(dropped).toBe(false);
    expect(socket.connected).toBe(true);
    expect(await socket.emitWithAck('sync', { cursors: {} })).toMatchObject({ ok: true });
  });

  it('answers a sync of the most cursors a request may carry, each id as long as allowed', async () => {
    const user = await knownPerson(parley.url, 'long-ids', axiom);
    const socket = await open(user);
    const cursors = Object.fromEntries(
      Array.from({ length: SYNC_MAX_CURSORS }, (_, i) => [`${i}-`.padEnd(200, 'x'), 2_147_483_647]),
    );
    const answer = await socket.timeout(10_000).emitWithAck('sync', { cursors });
    expect(answer.ok).toBe(true);
    expect(answer.ok && answer.removed).toHaveLength(SYNC_MAX_CURSORS);
  });

  it(
    `the SDK resumes a user in ${CONVERSATIONS} conversations in several syncs, without gap`,
    async () => {
      const [ana, ben] = await Promise.all([
        knownPerson(parley.url, 'ana', axiom),
        knownPerson(parley.url, 'ben', axiom),
      ]);
      let startedAt = Date.now();
      const ids = await groupsOf(ana, ben, CONVERSATIONS);
      console.log(`[large-resume] ${CONVERSATIONS} conversations created in ${Date.now() - startedAt} ms`);

      // No jitter: the SDK comes back 2 s after the server drops it.
      const client = parley.sdk(ana.token, { random: () => 0, ackTimeoutMs: 60_000 });
      await connected(client);
      expect(client.conversations).toHaveLength(CONVERSATIONS);
      startedAt = Date.now();
      for (let start = 0; start < ids.length; start += 200) {
        await Promise.all(ids.slice(start, start + 200).map((id) => client.open(id, 10)));
      }
      console.log(`[large-resume] the SDK opened every conversation in ${Date.now() - startedAt} ms`);
      // Opened, though empty: the SDK holds a cursor (0) for each, and must resume every one of them.
      await postQuietly(ben, ids, 'while you were away');
      const syncs: number[] = [];
      parley.server.io.on('connection', (socket) =>
        socket.onAny((event, request) => {
          if (event === 'sync') syncs.push(Object.keys(request.cursors).length);
        }),
      );
      const dropped = new Promise((resolve) =>
        client.on('status', (status) => status !== 'connected' && resolve(status)),
      );
      for (const socket of await parley.server.io.in(userRoom(ana.id)).fetchSockets())
        socket.disconnect(true);
      await dropped;
      startedAt = Date.now();
      await until(client, () => client.status === 'connected', 60_000, 'connected again');
      console.log(
        `[large-resume] resumed ${CONVERSATIONS} conversations in ${Date.now() - startedAt} ms ` +
          `(with the 2 s reconnect delay) in ${syncs.length} syncs of ${syncs.join(', ')} cursors`,
      );

      expect(syncs).toEqual([1000, 1000, 1000, 100]);
      const caughtUp = ids.filter((id) => seqsOf(client, id).join() === '1');
      expect(caughtUp).toHaveLength(CONVERSATIONS);
      expect(client.conversations).toHaveLength(CONVERSATIONS);
      expect(client.conversations.every((conversation) => conversation.lastSeq === 1)).toBe(true);
    },
    RESUME_TIMEOUT_MS,
  );
});
