// The SDK's conversation list against a real server: mutes that every tab follows at once, conversations
// created over REST listed before the socket confirms them, mentions sent from the SDK, and one error type
// for refusals over the socket and over REST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParleyClient, RefusalError } from '../../src/client/index.ts';
import type { ParleyServer } from '../../src/server/app.ts';
import { api, newUser, type TestUser } from '../helpers/clients.ts';
import { connected, sdkClient, until } from '../helpers/sdk.ts';
import { createTestStorage, startTestServer, type TestStorage } from '../helpers/server.ts';

describe('client SDK conversations', () => {
  let storage: TestStorage;
  let server: ParleyServer;
  const clients: ParleyClient[] = [];

  beforeAll(async () => {
    storage = await createTestStorage('pglite');
    server = await startTestServer(storage);
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
  const client = (user: TestUser) => {
    const created = sdkClient(server.url, user.token);
    clients.push(created);
    return created;
  };
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
    const group = await a.startConversation([ben.id, cleo.id], 'mentions');
    await until(b, () => summary(b, group.id) !== undefined, 10_000, 'the group at ben');
    await until(c, () => summary(c, group.id) !== undefined, 10_000, 'the group at cleo');
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
