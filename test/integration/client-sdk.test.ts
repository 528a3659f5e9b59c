// The client SDK against a real server: live delivery, history, gap-free resume, the outbox's exactly-once
// sends and permanent failures, token refresh and resets.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyClient } from '../../src/client/index.ts';
import { memoryStorage } from '../../src/client/index.ts';
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
});
