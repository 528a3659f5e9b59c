// Old state + events = fresh fetch: SDK clients connected before a scripted session, which only apply the
// live events it causes, end up holding exactly what a client that connects and syncs afterwards holds —
// conversation summaries, timelines, typing and presence — for people of every organisation and role.
//
// Server events the script causes (every one of ServerToClientEvents; SERVER_EVENTS below fails to compile
// when one is added, and the test fails when the script never caused one):
//   message:new           DMs, a group, a channel, a record thread, host events and internal notes; and
//                         changes: edits (one newly mentioning), deletes by an author and an admin,
//                         reactions added and taken back, replies whose original changes
//   conversation:joined   a DM or group started (its invitees with its first message, or starting it
//                         themselves), a channel joined or someone added, a record thread opened
//   conversation:left     a member leaves, an admin or a channel's creator removes someone, a creator narrows
//                         their channel's policy, the host narrows a record's audience
//   conversation:updated  someone joins, is added, leaves or is removed (member counts); a channel renamed,
//                         made private, re-scoped and archived by an admin or its creator; a record's title,
//                         context, status and audience changed by the host
//   conversation:read     mark-read from another tab of the same user (unread and mention counts)
//   conversation:read-by  a member of a DM or group reads (read receipts in `members`)
//   conversation:muted    a conversation muted from another tab of the same user
//   typing                someone types in a DM, then sends
//   presence              people already online start sharing a DM or group; someone sharing a DM comes
//                         online and goes offline
//   auth:expiring         a short-lived token is refreshed without the connection dropping
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyClient } from '../../src/client/index.ts';
import type { ServerToClientEvents } from '../../src/protocol/events.ts';
import type { Message } from '../../src/protocol/models.ts';
import type { ParleyServer } from '../../src/server/app.ts';
import {
  axiom,
  createHostKey,
  knownPerson,
  nextEvent,
  northwind,
  openSocket,
  oracare,
  type Person,
  request,
  tokenFor,
} from '../helpers/access.ts';
import type { ClientSocket } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { connected, sdkClient, until } from '../helpers/sdk.ts';
import { createTestStorage, startTestServer, type TestStorage } from '../helpers/server.ts';

/** What each server event changes in the SDK's state; a new event must be added here (and to the script). */
const SERVER_EVENTS = {
  'message:new': 'timelines, message states and quotes, last message, unread and mention counts',
  'conversation:joined': 'the conversation list',
  'conversation:left': 'the conversation list and timelines',
  'conversation:updated': 'names, policies, records, audiences, archiving and who is in it',
  'conversation:read': 'read cursor, unread and mention counts',
  'conversation:read-by': "members' read cursors",
  'conversation:muted': 'whether it is muted',
  typing: 'who is typing',
  presence: 'who is online',
  'auth:expiring': 'nothing visible: the connection survives its first token',
} as const satisfies Record<keyof ServerToClientEvents, string>;

/** Short enough that the server warns during the script (halfway through), long enough to connect on. */
const SHORT_TOKEN_SECONDS = 6;

describe.each(testDrivers())('old state + events = fresh fetch on %s', (driver) => {
  let storage: TestStorage;
  let server: ParleyServer;
  const clients: ParleyClient[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    storage = await createTestStorage(driver);
    server = await startTestServer(storage, { env: { PARLEY_WEBHOOK_ALLOW: '127.0.0.1/32' } });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const socket of sockets) socket.close();
    await server?.close();
    await storage?.destroy();
  });

  const call = async (token: string, method: string, path: string, body?: object) => {
    const response = await request(server.url, method, path, { token, body });
    expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
    return response.body;
  };
  const start = async (by: Person, body: object): Promise<string> =>
    (await call(by.token, 'POST', '/api/conversations', body)).conversation.id;
  const say = async (
    by: Person,
    conversationId: string,
    body: string,
    mentions: Person[] = [],
    replyTo?: Message,
  ) => {
    const { message } = await call(by.token, 'POST', `/api/conversations/${conversationId}/messages`, {
      clientMsgId: crypto.randomUUID(),
      body,
      mentions: mentions.map((person) => person.id),
      ...(replyTo ? { replyToId: replyTo.id } : {}),
    });
    return message as Message;
  };
  const reaction = (message: Message, emoji: string) =>
    `/api/messages/${message.id}/reactions/${encodeURIComponent(emoji)}`;
  /**
   * A tab that only listens: it opens every conversation the moment it learns of it (as the widget does when
   * shown one), so that its timelines hold everything from then on through live events alone.
   */
  const liveTab = async (person: Person, getToken: () => Promise<string> = async () => person.token) => {
    const client = sdkClient(server.url, getToken);
    clients.push(client);
    const opened = new Set<string>();
    const opening: Promise<unknown>[] = [];
    client.on('conversations', (list) => {
      for (const id of opened) if (!list.some((c) => c.id === id)) opened.delete(id);
      for (const { id } of list) {
        if (opened.has(id)) continue;
        opened.add(id);
        opening.push(client.open(id));
      }
    });
    await connected(client);
    let reconnects = 0;
    client.on('status', (status) => {
      if (status !== 'connected') reconnects += 1;
    });
    return { client, opening, reconnects: () => reconnects };
  };

  /** A socket of the person's that records the name of every event the server sends it. */
  const witness = async (person: Person, seen: Set<string>, token = person.token) => {
    const opened = openSocket(server.url, token);
    sockets.push(opened.socket);
    opened.socket.onAny((event: string) => seen.add(event));
    return opened.connected;
  };

  /** What the SDK shows of a user's state, in a stable order; presence of each of `people`. */
  const stateOf = (client: ParleyClient, people: readonly Person[]) => {
    const conversations = [...client.conversations].sort((a, b) => a.id.localeCompare(b.id));
    return {
      me: client.me,
      conversations,
      timelines: Object.fromEntries(conversations.map((c) => [c.id, client.messages(c.id)])),
      typing: Object.fromEntries(conversations.map((c) => [c.id, client.typing(c.id)])),
      presence: Object.fromEntries(people.map(({ id }) => [id, client.presence(id) ?? null])),
    };
  };

  const freshState = async (person: Person, people: readonly Person[]) => {
    const client = await connected(sdkClient(server.url, person.token));
    clients.push(client);
    for (const { id } of client.conversations) await client.open(id);
    return stateOf(client, people);
  };

  it('leaves every live client holding what a fresh sync returns, for each organisation and role', async () => {
    const ada = await knownPerson(server.url, 'ada', { ...axiom, role: 'admin' });
    const sam = await knownPerson(server.url, 'sam', axiom);
    const vic = await knownPerson(server.url, 'vic', { ...axiom, role: 'viewer' });
    const cleo = await knownPerson(server.url, 'cleo', oracare);
    const omar = await knownPerson(server.url, 'omar', { ...oracare, role: 'viewer' });
    const nora = await knownPerson(server.url, 'nora', northwind);
    const nils = await knownPerson(server.url, 'nils', northwind);
    const watched = [ada, sam, vic, cleo, omar, nora];
    const hostKey = await createHostKey(server.url, ada.token);

    // Cleo's first token expires during the script: her tabs refresh it on `auth:expiring`.
    const shortToken = await tokenFor(cleo, {}, SHORT_TOKEN_SECONDS);
    const firstTokenExpiresAt = Date.now() + SHORT_TOKEN_SECONDS * 1000;
    let cleoTokens = 0;
    const cleoToken = async () => (cleoTokens++ === 0 ? shortToken : tokenFor(cleo));

    const seen = new Set<string>();
    const tabs = new Map<string, Awaited<ReturnType<typeof liveTab>>>();
    const otherTabs = new Map<string, Awaited<ReturnType<typeof liveTab>>>();
    const witnesses = new Map<string, ClientSocket>();
    for (const person of watched) {
      const getToken = person === cleo ? cleoToken : undefined;
      tabs.set(person.id, await liveTab(person, getToken));
      otherTabs.set(person.id, await liveTab(person));
      const socket = await witness(person, seen, person === cleo ? shortToken : person.token);
      witnesses.set(person.id, socket);
      if (person === cleo) {
        socket.on('auth:expiring', async () => {
          await socket.emitWithAck('auth:refresh', { token: await tokenFor(cleo) });
        });
      }
    }
    const tab = (person: Person) => tabs.get(person.id)!.client;
    const otherTab = (person: Person) => otherTabs.get(person.id)!.client;

    // Direct messages, with a mention, across organisations; someone typing who then sends.
    const adaCleo = await start(ada, { kind: 'direct', memberIds: [cleo.id] });
    await say(ada, adaCleo, 'Your order is packed');
    await say(cleo, adaCleo, 'Thanks! When does it ship?');
    await until(tab(ada), () => tab(ada).messages(adaCleo).length === 2, 10_000, 'both messages at ada');
    tab(ada).setTyping(adaCleo, true);
    await until(tab(cleo), () => tab(cleo).typing(adaCleo).includes(ada.id), 10_000, 'ada typing at cleo');
    await say(ada, adaCleo, 'Tomorrow morning, @cleo', [cleo]);
    const samNora = await start(sam, { kind: 'direct', memberIds: [nora.id] });
    await say(nora, samNora, 'The parts are ready');
    const noraNils = await start(nora, { kind: 'direct', memberIds: [nils.id] });
    // A DM opened and never written in is its starter's alone; one the other side opens too is both's.
    await start(sam, { kind: 'direct', memberIds: [cleo.id] });
    const omarCleo = await start(omar, { kind: 'direct', memberIds: [cleo.id] });
    expect(await start(cleo, { kind: 'direct', memberIds: [omar.id] })).toBe(omarCleo);

    // Someone sharing a DM comes online and leaves again.
    const nilsOnline = nextEvent(witnesses.get(nora.id)!, 'presence', (p) => p.userId === nils.id);
    const nilsSocket = await witness(nils, new Set());
    await nilsOnline;
    await say(nils, noraNils, 'On my way to the warehouse');
    const nilsOffline = nextEvent(witnesses.get(nora.id)!, 'presence', (p) => p.status === 'offline');
    nilsSocket.close();
    await nilsOffline;

    // A group of the company and its client, with a mention of the viewer.
    const group = await start(sam, { kind: 'group', memberIds: [cleo.id, vic.id, omar.id], name: 'Launch' });
    const kickOff = await say(sam, group, 'Kick-off on Monday');
    await say(cleo, group, 'We will be there');
    const agenda = await say(sam, group, '@vic please send the agenda', [vic]);
    await say(omar, group, 'Can I bring a colleague?');

    // Messages change: edited (newly mentioning someone), replied to, reacted to (one reaction taken back),
    // deleted by their author (an unread mention: its count is corrected) and by an admin; a reply whose
    // original is edited and then deleted, and which is the conversation's last message meanwhile.
    await call(sam.token, 'PATCH', `/api/messages/${kickOff.id}`, {
      body: 'Kick-off on Tuesday, @omar',
      mentions: [omar.id],
    });
    const tuesday = await say(cleo, group, 'Tuesday works', [], kickOff);
    await call(vic.token, 'PUT', reaction(kickOff, '👍'));
    await call(omar.token, 'PUT', reaction(kickOff, '🎉'));
    await call(cleo.token, 'PUT', reaction(kickOff, '👍'));
    await call(omar.token, 'DELETE', reaction(kickOff, '🎉'));
    await call(sam.token, 'DELETE', `/api/messages/${agenda.id}`);
    await call(cleo.token, 'PUT', reaction(tuesday, '✅'));
    const question = await say(omar, group, 'Who books the room?');
    await say(sam, group, 'I will', [], question);
    await call(omar.token, 'PATCH', `/api/messages/${question.id}`, { body: 'Who books the meeting room?' });
    await call(omar.token, 'DELETE', `/api/messages/${question.id}`);

    // A channel of the company and its vendor: created, joined by the vendor, someone added, renamed.
    const channel = await start(ada, {
      kind: 'channel',
      name: 'supply',
      memberIds: [sam.id],
      policy: { orgIds: ['axiom', 'northwind'], visibility: 'public' },
    });
    await say(ada, channel, 'Weekly supply check');
    await call(nora.token, 'POST', `/api/conversations/${channel}/join`);
    const northwindHere = await say(nora, channel, 'Northwind here');
    await say(nora, channel, 'Wrong channel, sorry');
    await call(ada.token, 'DELETE', `/api/messages/${northwindHere.id}`);
    await call(ada.token, 'POST', `/api/conversations/${channel}/members`, { userIds: [vic.id] });
    await say(sam, channel, '@nora can you confirm the date?', [nora]);
    await call(ada.token, 'PATCH', `/api/admin/channels/${channel}`, { name: 'supply-chain' });

    // A record thread for all three organisations, with host events and the company's internal notes.
    const orderId = String(Math.floor(Math.random() * 1e9));
    const order = { title: `Order #${orderId}`, context: { Status: 'packed' } };
    await call(hostKey, 'PUT', `/api/records/order/${orderId}`, {
      ...order,
      orgIds: ['axiom', 'oracare', 'northwind'],
    });
    const openRecord = (person: Person) =>
      call(person.token, 'POST', '/api/records/open', { type: 'order', id: orderId });
    const thread = (await openRecord(ada)).conversation.id as string;
    const notes = (await openRecord(sam)).notes.id as string;
    for (const person of [cleo, omar, nora, vic]) await openRecord(person);
    await say(cleo, thread, 'Is this the one for the launch?');
    await call(hostKey, 'POST', `/api/records/order/${orderId}/messages`, { body: 'Order packed' });
    await say(sam, notes, 'Margin is thin on this one');
    const agreed = await say(ada, notes, '@sam agreed', [sam]);
    const delivered = await say(nora, thread, 'Parts delivered to the warehouse', [cleo]);
    await call(ada.token, 'PATCH', `/api/messages/${agreed.id}`, {
      body: '@sam agreed, let us talk',
      mentions: [sam.id],
    });
    await call(omar.token, 'PUT', reaction(delivered, '🙏'));

    // Reads from the other tab: part of a conversation, then all of another.
    expect(await otherTab(cleo).markRead(adaCleo, 3)).toBe(3);
    expect(await otherTab(vic).markRead(group, 2)).toBe(2);
    expect(await otherTab(sam).markRead(notes, 2)).toBe(2);
    expect(await otherTab(omar).markRead(thread, 1)).toBe(1);

    // Muting from the other tab: one conversation muted, another muted and unmuted again.
    await otherTab(omar).setMuted(group, true);
    await otherTab(ada).setMuted(channel, true);
    await otherTab(ada).setMuted(channel, false);

    // The host narrows, renames and closes the record; members leave and are removed.
    await call(hostKey, 'PUT', `/api/records/order/${orderId}`, {
      title: `Order #${orderId} (shipped)`,
      context: { Status: 'shipped' },
      orgIds: ['axiom', 'oracare'],
      status: 'closed',
    });
    await call(sam.token, 'POST', `/api/conversations/${channel}/leave`);
    await call(ada.token, 'DELETE', `/api/admin/channels/${channel}/members/${vic.id}`);
    await say(ada, channel, 'Thanks all');

    // A staff member runs their own channel with the client: renamed and made private, someone added, one
    // member removed, another leaving, re-scoped to the company alone (the client is out), then archived.
    const room = await start(sam, {
      kind: 'channel',
      name: 'launch-room',
      memberIds: [cleo.id, omar.id, vic.id],
      policy: { orgIds: ['axiom', 'oracare'] },
    });
    await say(cleo, room, 'Glad to be here');
    await call(sam.token, 'PATCH', `/api/conversations/${room}`, {
      name: 'launch-war-room',
      policy: { visibility: 'private' },
    });
    await call(sam.token, 'POST', `/api/conversations/${room}/members`, { userIds: [ada.id] });
    await call(sam.token, 'DELETE', `/api/conversations/${room}/members/${omar.id}`);
    await call(vic.token, 'DELETE', `/api/conversations/${room}/members/${vic.id}`);
    await say(sam, room, 'Moving this in-house');
    await call(sam.token, 'PATCH', `/api/conversations/${room}`, { policy: { orgIds: ['axiom'] } });
    await call(ada.token, 'PATCH', `/api/conversations/${room}`, { archived: true });

    // Long enough that a tab which had not refreshed its first token would have been cut off by now.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstTokenExpiresAt + 500 - Date.now())));

    const everybody = [...watched, nils];
    for (const person of watched) {
      const fresh = await freshState(person, everybody);
      for (const live of [tabs.get(person.id)!, otherTabs.get(person.id)!]) {
        await expect.poll(() => stateOf(live.client, everybody), { timeout: 10_000 }).toEqual(fresh);
        await Promise.allSettled(live.opening);
        expect(stateOf(live.client, everybody), person.displayName).toEqual(fresh);
        expect(live.reconnects(), `${person.displayName} stayed connected`).toBe(0);
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(SERVER_EVENTS).sort());
  });
});
