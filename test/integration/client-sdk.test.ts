// The client SDK against a real server: live delivery, history, gap-free resume, the outbox's exactly-once
// sends and permanent failures, token refresh and resets; the conversation list (mutes every tab follows,
// conversations created over REST, mentions) and one error type for refusals over the socket and REST.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyClient } from '../../src/client/index.ts';
import { memoryStorage, RefusalError } from '../../src/client/index.ts';
import type { ParleyServer } from '../../src/server/app.ts';
import { signHostToken } from '../../src/server/demo/tokens.ts';
import { api, newUser, type TestUser } from '../helpers/clients.ts';
import { connected, range, sdkClient, seqsOf, until } from '../helpers/sdk.ts';
import { createTestStorage, startTestServer, TEST_JWT_SECRET, type TestStorage } from '../helpers/server.ts';

describe('client SDK', () => {
  let storage: TestStorage;
  let server: ParleyServer;
  const clients: ParleyClient[] = [];

  beforeAll(async () => {
    storage = await createTestStorage('pglite');
    server = await startTestServer(storage, { env: { PARLEY_SYNC_MAX_CATCH_UP: '300' } });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
    await storage?.destroy();
  });

  const person = async (label: string) => {
    const user = await newUser(label);
    await api(server.url, 'GET', '/api/me', { token: user.token });
    return user;
  };
  const client = (user: TestUser, options = {}) => {
    const created = sdkClient(server.url, user.token, options);
    clients.push(created);
    return created;
  };
  const dmBetween = async (a: TestUser, b: TestUser) =>
    (
      await api(server.url, 'POST', '/api/conversations', {
        token: a.token,
        body: { kind: 'direct', memberIds: [b.id] },
      })
    ).body.conversation.id as string;
  const postMany = async (user: TestUser, conversationId: string, count: number) => {
    for (let i = 0; i < count; i++) {
      const sent = await api(server.url, 'POST', `/api/conversations/${conversationId}/messages`, {
        token: user.token,
        body: { clientMsgId: randomUUID(), body: `bulk ${i}` },
      });
      expect(sent.status).toBe(201);
    }
  };

  it('sends through the outbox and delivers live to the other member, in order', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const dm = await dmBetween(ana, ben);
    const [a, b] = [await connected(client(ana)), await connected(client(ben))];
    for (let i = 1; i <= 5; i++) a.send(dm, `hello ${i}`);
    await until(b, () => seqsOf(b, dm).length === 5, 10_000, 'five messages at ben');
    await until(a, () => a.pending.length === 0, 10_000, 'outbox empty');
    expect(b.messages(dm).map((m) => m.body)).toEqual(range(1, 5).map((i) => `hello ${i}`));
    expect(seqsOf(a, dm)).toEqual(range(1, 5));
  });

  it('opens a conversation at its newest page and loads earlier pages back to the first message', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const dm = await dmBetween(ana, ben);
    await postMany(ana, dm, 120);
    const b = await connected(client(ben));
    expect((await b.open(dm, 50)).map((m) => m.seq)).toEqual(range(71, 120));
    while (await b.loadEarlier(dm, 50)) {
      /* page back */
    }
    expect(seqsOf(b, dm)).toEqual(range(1, 120));
  });

  it('catches up without gap or duplicate after being offline while more than a page arrived', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const dm = await dmBetween(ana, ben);
    const b = await connected(client(ben));
    await b.open(dm);
    b.close();
    await postMany(ana, dm, 230);
    await connected(b);
    await until(b, () => b.cursor(dm) === 230, 15_000, 'cursor at 230');
    expect(seqsOf(b, dm)).toEqual(range(1, 230));
  });

  it('resets a conversation it is too far behind in, and says so', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const dm = await dmBetween(ana, ben);
    const b = await connected(client(ben));
    await b.open(dm);
    b.close();
    await postMany(ana, dm, 310);
    const resets: string[] = [];
    b.on('reset', (id) => resets.push(id));
    await connected(b);
    expect(resets).toContain(dm);
    expect(seqsOf(b, dm)).toEqual(range(211, 310));
  });

  it('marks permanent errors failed with their reason, without retrying them', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const dm = await dmBetween(ana, ben);
    const a = await connected(client(ana));
    const empty = a.send(dm, '   ');
    const long = a.send(dm, 'x'.repeat(4001));
    const missing = a.send(randomUUID(), 'nobody home');
    await until(a, () => a.pending.every((m) => m.status === 'failed'), 10_000, 'all failed');
    const reasons = Object.fromEntries(a.pending.map((m) => [m.clientMsgId, m.error?.code]));
    expect(reasons).toEqual({
      [empty.clientMsgId]: 'empty_message',
      [long.clientMsgId]: 'message_too_long',
      [missing.clientMsgId]: 'not_found',
    });
    a.discard(empty.clientMsgId);
    expect(a.pending).toHaveLength(2);
  });

  it('keeps messages written offline and sends each exactly once from a later session', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const dm = await dmBetween(ana, ben);
    const shared = memoryStorage();
    const offline = client(ana, { storage: shared });
    offline.send(dm, 'typed offline 1');
    offline.send(dm, 'typed offline 2');
    offline.close();
    const later = await connected(client(ana, { storage: shared }));
    await until(later, () => later.pending.length === 0, 10_000, 'outbox drained');
    const { body } = await api(server.url, 'GET', `/api/conversations/${dm}/messages`, { token: ben.token });
    expect(body.messages.map((m: { body: string }) => m.body)).toEqual([
      'typed offline 1',
      'typed offline 2',
    ]);
  });

  it('refreshes its token before expiry and stays connected', async () => {
    const ana = await person('ana');
    const ben = await person('ben');
    const dm = await dmBetween(ana, ben);
    let issued = 0;
    const shortLived = async () => {
      issued += 1;
      return signHostToken(
        TEST_JWT_SECRET,
        { id: ana.id, displayName: 'ana', email: null, orgId: 'acme', orgKind: 'internal', role: 'member' },
        2,
      );
    };
    const a = await connected(client(ana, { getToken: shortLived }));
    let disconnects = 0;
    a.on('status', (status) => {
      if (status !== 'connected') disconnects += 1;
    });
    await until(a, () => false, 3000, 'time to pass').catch(() => undefined);
    expect(issued).toBeGreaterThanOrEqual(2);
    expect(disconnects).toBe(0);
    a.send(dm, 'still here');
    await until(a, () => a.pending.length === 0, 5000, 'sent after expiry');
  });

  const summary = (client: ParleyClient, id: string) => client.conversations.find((c) => c.id === id);

  it("a mute on one tab reaches the user's other tab at once, without a sync", async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const [tab1, tab2] = [await connected(client(ana)), await connected(client(ana))];
    const dm = await tab1.startConversation([ben.id]);
    await until(tab2, () => summary(tab2, dm.id) !== undefined, 10_000, 'the DM on the second tab');
    expect(summary(tab2, dm.id)?.muted).toBe(false);
    const statuses: string[] = [];
    tab2.on('status', (status) => statuses.push(status));

    await tab1.setMuted(dm.id, true);
    expect(summary(tab1, dm.id)?.muted).toBe(true);
    await until(tab2, () => summary(tab2, dm.id)?.muted === true, 10_000, 'the mute on the second tab');
    await tab1.setMuted(dm.id, false);
    await until(tab2, () => summary(tab2, dm.id)?.muted === false, 10_000, 'the unmute on the second tab');
    // A resync would have announced itself with a status; the tab stayed on its connection.
    expect(statuses).toEqual([]);
  });

  it('lists a conversation created over REST at once, and keeps one entry when the socket confirms it', async () => {
    const [ana, ben, cleo] = [await person('ana'), await person('ben'), await person('cleo')];
    const a = await connected(client(ana));
    const group = await a.startConversation([ben.id, cleo.id], 'launch');
    expect(summary(a, group.id)?.name).toBe('launch');
    const posted = await api(server.url, 'POST', `/api/conversations/${group.id}/messages`, {
      token: ben.token,
      body: { clientMsgId: crypto.randomUUID(), body: 'hi all' },
    });
    expect(posted.status).toBe(201);
    await until(a, () => summary(a, group.id)?.lastSeq === 1, 10_000, 'the live message in the summary');
    expect(a.conversations.filter((c) => c.id === group.id)).toHaveLength(1);
  });

  it('sends mentions, which the mentioned member counts and the others do not', async () => {
    const [ana, ben, cleo] = [await person('ana'), await person('ben'), await person('cleo')];
    const [a, b, c] = [
      await connected(client(ana)),
      await connected(client(ben)),
      await connected(client(cleo)),
    ];
    // The group reaches the others with its first message.
    const group = await a.startConversation([ben.id, cleo.id], 'mentions');
    a.send(group.id, '@Ben can you look?', [ben.id]);
    await until(b, () => summary(b, group.id)?.unreadCount === 1, 10_000, 'the message at ben');
    await until(c, () => summary(c, group.id)?.unreadCount === 1, 10_000, 'the message at cleo');
    expect(b.messages(group.id).at(-1)?.mentions).toEqual([ben.id]);
    expect(summary(b, group.id)?.mentionCount).toBe(1);
    expect(summary(c, group.id)?.mentionCount).toBe(0);
    // What the server counts is what the next sync says, not only what the SDK derived.
    const fresh = await connected(client(ben));
    expect(summary(fresh, group.id)?.mentionCount).toBe(1);
  });

  it('throws one RefusalError, with the stable code, for refusals over the socket and over REST', async () => {
    const a = await connected(client(await person('ana')));
    const overSocket = await a.markRead('no-such-conversation', 1).catch((error: unknown) => error);
    const overRest = await a.setMuted('no-such-conversation', true).catch((error: unknown) => error);
    for (const error of [overSocket, overRest]) {
      expect(error).toBeInstanceOf(RefusalError);
      expect(error).toMatchObject({ code: 'not_found', body: { code: 'not_found' } });
    }
  });
});
