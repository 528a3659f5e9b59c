// A DM or group is shown to the people its starter invited only once something is written in it: before,
// their list, sync, sockets and unread totals know nothing of it; its first message brings them the
// conversation, then the message, live, with the unread and mention counts right. Channels are unchanged.
import { afterEach, describe, expect, it } from 'vitest';
import type { Conversation, UnreadTotals } from '../../src/protocol/models.ts';
import { acme, knownPerson } from '../helpers/access.ts';
import { api, type ClientSocket, type TestUser } from '../helpers/clients.ts';
import { postMessage, startChannel, startConversation, startDirect } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { openedClients } from '../helpers/opened-clients.ts';
import { connected, until } from '../helpers/sdk.ts';
import { useTestServer } from '../helpers/test-server.ts';

describe.each(testDrivers())('the first message shows a conversation on %s', (driver) => {
  const running = useTestServer(driver);
  const opened = openedClients();
  afterEach(() => opened.closeAll());

  const person = (label: string) => knownPerson(running.url, label, acme);

  /** A tab that records every event; `settled` is a round trip, after which "not received" means "not sent". */
  const tab = async (user: TestUser) => {
    const socket = await opened.open(running.url, user.token);
    const events: Recorded[] = [];
    socket.onAny((name: string, payload: unknown) => events.push({ name, payload }));
    await sync(socket);
    return { socket, events, settled: () => sync(socket) };
  };
  const sync = async (socket: ClientSocket) => {
    const answer = await socket.emitWithAck('sync', { cursors: {} });
    if (!answer.ok) throw new Error(answer.error.message);
    return answer;
  };
  type Recorded = { name: string; payload: unknown };
  const mentioning = (events: Recorded[], conversationId: string) =>
    events.filter((event) => JSON.stringify(event.payload).includes(conversationId));
  const listOf = async (user: TestUser) =>
    (
      await api<{ conversations: Conversation[] }>(running.url, 'GET', '/api/conversations', {
        token: user.token,
      })
    ).body.conversations;
  const unread = async (user: TestUser) =>
    (await api<UnreadTotals>(running.url, 'GET', '/api/me/unread', { token: user.token })).body;

  it('an empty DM is the starter’s alone: the other side’s list, sync, sockets and totals hear nothing of it', async () => {
    const [raj, olivia] = await Promise.all([person('raj'), person('olivia')]);
    const [rajTab, oliviaTab] = await Promise.all([tab(raj), tab(olivia)]);
    const totalsBefore = await unread(olivia);

    const dm = await startDirect(running.url, raj, olivia);
    rajTab.socket.emit('typing', { conversationId: dm.id, typing: true });
    await rajTab.settled();
    const oliviaSync = await oliviaTab.settled();

    expect((await listOf(raj)).map((c) => c.id)).toContain(dm.id);
    expect(rajTab.events.map((e) => e.name)).toContain('conversation:joined');
    expect((await listOf(olivia)).map((c) => c.id)).not.toContain(dm.id);
    expect(oliviaSync.conversations.map((c) => c.id)).not.toContain(dm.id);
    expect(mentioning(oliviaTab.events, dm.id)).toEqual([]);
    const hidden = await api(running.url, 'GET', `/api/conversations/${dm.id}`, { token: olivia.token });
    expect(hidden.status).toBe(404);
    expect(await unread(olivia)).toEqual(totalsBefore);
    // Nor does a tab opened now join its room.
    const late = await tab(olivia);
    rajTab.socket.emit('typing', { conversationId: dm.id, typing: false });
    await rajTab.settled();
    await late.settled();
    expect(mentioning(late.events, dm.id)).toEqual([]);
  });

  it('the first message brings the other side the conversation, then the message, unread and presence', async () => {
    const [raj, olivia] = await Promise.all([person('raj'), person('olivia')]);
    const rajTab = await tab(raj);
    const oliviaTab = await tab(olivia);
    const client = await connected(opened.sdk(running.url, olivia.token));
    const totalsBefore = await unread(olivia);
    const news: number[] = [];
    client.on('messages', (_id, messages) => news.push(...messages.map((m) => m.seq)));

    const dm = await startDirect(running.url, raj, olivia);
    const first = await postMessage(running.url, raj, dm.id, 'Hello Olivia');
    await oliviaTab.settled();

    const names = mentioning(oliviaTab.events, dm.id).map((event) => event.name);
    expect(names).toEqual(['conversation:joined', 'message:new']);
    const joined = oliviaTab.events.find((e) => e.name === 'conversation:joined')?.payload as {
      conversation: Conversation;
    };
    expect(joined.conversation).toMatchObject({ id: dm.id, lastSeq: 1, unreadCount: 1, lastReadSeq: 0 });
    expect(joined.conversation.lastMessage?.id).toBe(first.id);
    expect(oliviaTab.events).toContainEqual({
      name: 'presence',
      payload: expect.objectContaining({ userId: raj.id, status: 'online' }),
    });
    expect(rajTab.events.filter((e) => e.name === 'conversation:joined')).toHaveLength(1);

    // The SDK hears the first message as news (a widget chimes) and counts it once.
    await until(client, () => news.includes(1), 5000, 'the first message as news');
    expect(client.conversations.find((c) => c.id === dm.id)).toMatchObject({ unreadCount: 1, lastSeq: 1 });
    expect(client.presence(raj.id)?.status).toBe('online');
    expect(await unread(olivia)).toEqual({
      unreadCount: totalsBefore.unreadCount + 1,
      mentionCount: totalsBefore.mentionCount,
      conversationCount: totalsBefore.conversationCount + 1,
    });
    expect((await listOf(olivia)).find((c) => c.id === dm.id)).toMatchObject({ unreadCount: 1 });

    await postMessage(running.url, raj, dm.id, 'Are you there?');
    await oliviaTab.settled();
    expect(mentioning(oliviaTab.events, dm.id).map((event) => event.name)).toEqual([
      'conversation:joined',
      'message:new',
      'message:new',
    ]);
  });

  it('starting the DM again gives the same conversation; the other side starting it is shown it at once', async () => {
    const [raj, olivia] = await Promise.all([person('raj'), person('olivia')]);
    const dm = await startDirect(running.url, raj, olivia);
    const again = await api(running.url, 'POST', '/api/conversations', {
      token: raj.token,
      body: { kind: 'direct', memberIds: [olivia.id] },
    });
    expect(again).toMatchObject({ status: 200, body: { conversation: { id: dm.id } } });

    const oliviaTab = await tab(olivia);
    const hers = await api(running.url, 'POST', '/api/conversations', {
      token: olivia.token,
      body: { kind: 'direct', memberIds: [raj.id] },
    });
    expect(hers).toMatchObject({ status: 200, body: { conversation: { id: dm.id, lastSeq: 0 } } });
    await oliviaTab.settled();
    expect(mentioning(oliviaTab.events, dm.id).map((event) => event.name)).toContain('conversation:joined');
    expect((await listOf(olivia)).map((c) => c.id)).toContain(dm.id);
  });

  it('a group follows the same rule, each invitee with their own mention count; a channel shows at once', async () => {
    const [sam, cleo, omar] = await Promise.all([person('sam'), person('cleo'), person('omar')]);
    const [cleoTab, omarTab] = await Promise.all([tab(cleo), tab(omar)]);
    const group = await startConversation(running.url, sam, {
      kind: 'group',
      memberIds: [cleo.id, omar.id],
      name: 'Launch',
    });
    const channel = await startChannel(running.url, sam, [cleo, omar]);
    await Promise.all([cleoTab.settled(), omarTab.settled()]);
    for (const { events } of [cleoTab, omarTab]) {
      expect(mentioning(events, group.id)).toEqual([]);
      expect(mentioning(events, channel.id).map((event) => event.name)).toContain('conversation:joined');
    }

    await postMessage(running.url, sam, group.id, '@cleo kick-off on Monday', { mentions: [cleo.id] });
    await Promise.all([cleoTab.settled(), omarTab.settled()]);
    const joinedAt = (events: Recorded[]) => {
      const joined = events.find((e) => e.name === 'conversation:joined' && mentioning([e], group.id).length);
      return (joined?.payload as { conversation: Conversation } | undefined)?.conversation;
    };
    expect(joinedAt(cleoTab.events)).toMatchObject({ unreadCount: 1, mentionCount: 1, memberCount: 3 });
    expect(joinedAt(omarTab.events)).toMatchObject({ unreadCount: 1, mentionCount: 0, memberCount: 3 });
    expect((await listOf(omar)).map((c) => c.id)).toContain(group.id);
  });
});
