// Acting on sent messages: edit, delete for everyone, reactions and replies, over REST and the socket, on
// both drivers. Every change reaches the other members in the conversation's ordered stream, history
// shows messages as they are now, and nothing derived from a deleted message's text is left behind.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/models.ts';
import { acme, knownPerson, oracare, type Person, type PersonDetails } from '../helpers/access.ts';
import { api, sendOnSocket } from '../helpers/clients.ts';
import { startConversation } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { collectMessages } from '../helpers/events.ts';
import { connected, until } from '../helpers/sdk.ts';
import { useTestServer } from '../helpers/test-server.ts';

describe.each(testDrivers())('message actions on %s', (driver) => {
  const parley = useTestServer(driver, { env: { PARLEY_WEBHOOK_ALLOW: '127.0.0.1/32' } });

  const person = (label: string, details: PersonDetails = acme) => knownPerson(parley.url, label, details);
  const call = (by: Person, method: string, path: string, body?: unknown) =>
    api(parley.url, method, path, { token: by.token, body });
  const say = async (by: Person, conversationId: string, body: string, extra: object = {}) => {
    const response = await call(by, 'POST', `/api/conversations/${conversationId}/messages`, {
      clientMsgId: randomUUID(),
      body,
      ...extra,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.message as Message;
  };
  const history = async (by: Person, conversationId: string): Promise<Message[]> =>
    (await call(by, 'GET', `/api/conversations/${conversationId}/messages`)).body.messages;
  const reactionPath = (message: Message, emoji: string) =>
    `/api/messages/${message.id}/reactions/${encodeURIComponent(emoji)}`;
  const group = async (starter: Person, ...others: Person[]) =>
    (await startConversation(parley.url, starter, { kind: 'group', memberIds: others.map((p) => p.id) })).id;
  const unread = async (by: Person) => (await call(by, 'GET', '/api/me/unread')).body;

  it('an edit reaches every member as a change, shows as edited in history, and keeps the earlier text for its author', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const room = await group(ana, ben);
    const original = await say(ana, room, 'Ships on Monday');
    const benSocket = await parley.open(ben.token);
    const benInbox = collectMessages(benSocket);

    const edited = await call(ana, 'PATCH', `/api/messages/${original.id}`, { body: 'Ships on Tuesday' });

    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const { message, change } = edited.body;
    expect(message).toMatchObject({ id: original.id, body: 'Ships on Tuesday', revisionSeq: 2 });
    expect(message.editedAt).not.toBeNull();
    expect(change).toMatchObject({ kind: 'change', seq: 2, senderId: ana.id, body: '' });
    expect(change.change).toEqual({
      type: 'message.edited',
      messageId: original.id,
      emoji: null,
      target: message,
    });
    expect(await benInbox.waitFor(1)).toEqual([change]);
    expect(await history(ben, room)).toEqual([message, change]);
    const versions = await call(ana, 'GET', `/api/messages/${original.id}/versions`);
    expect(versions.body.versions).toMatchObject([{ version: 1, body: 'Ships on Monday' }]);
    expect((await call(ben, 'GET', `/api/messages/${original.id}/versions`)).body.error.code).toBe(
      'forbidden',
    );
    // Changes are never unread: Ben has one unread message, not two entries.
    expect(await unread(ben)).toMatchObject({ unreadCount: 1 });
  });

  it('only the author edits, an unchanged text changes nothing, and bad input is refused with a clear error', async () => {
    const [ana, ben] = [await person('ana'), await person('ben', { ...acme, role: 'admin' })];
    const room = await group(ana, ben);
    const original = await say(ana, room, 'Draft');
    const path = `/api/messages/${original.id}`;

    expect((await call(ben, 'PATCH', path, { body: 'Hijacked' })).body.error.code).toBe('forbidden');
    const same = await call(ana, 'PATCH', path, { body: 'Draft' });
    expect(same.body.change).toBeNull();
    expect((await call(ana, 'PATCH', path, { body: '  ' })).body.error.code).toBe('empty_message');
    expect((await call(ana, 'PATCH', path, { text: 'x' })).status).toBe(400);
    expect((await call(ana, 'PATCH', '/api/messages/abc', { body: 'x' })).body.error.code).toBe(
      'invalid_payload',
    );
    expect((await call(ana, 'PATCH', '/api/messages/999999999', { body: 'x' })).body.error.code).toBe(
      'not_found',
    );
    const stranger = await person('cy');
    expect((await call(stranger, 'PATCH', path, { body: 'x' })).body.error.code).toBe('not_found');
    expect((await history(ana, room)).map((m) => m.body)).toEqual(['Draft']);
  });

  it('an edit that adds a mention notifies only the newly mentioned', async () => {
    const [ana, ben, cy] = [await person('ana'), await person('ben'), await person('cy')];
    const room = await group(ana, ben, cy);
    const original = await say(ana, room, '@ben please check', { mentions: [ben.id] });
    expect(await unread(ben)).toMatchObject({ mentionCount: 1 });

    const edited = await call(ana, 'PATCH', `/api/messages/${original.id}`, {
      body: '@ben and @cy please check',
      mentions: [ben.id, cy.id],
    });

    expect(edited.body.change.mentions).toEqual([cy.id]);
    expect(edited.body.message.mentions).toEqual([ben.id, cy.id].sort());
    expect(await unread(ben)).toMatchObject({ mentionCount: 1 });
    expect(await unread(cy)).toMatchObject({ mentionCount: 1, unreadCount: 1 });
  });

  it('a delete leaves a tombstone for everyone and takes the text out of search, replies, versions and mentions', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const room = await group(ana, ben);
    const secret = `wrongcustomer${randomUUID().slice(0, 6)}`;
    const original = await say(ana, room, `@ben the code for ${secret} is 4411`, { mentions: [ben.id] });
    await call(ana, 'PATCH', `/api/messages/${original.id}`, {
      body: `@ben the code for ${secret} is 4412`,
      mentions: [ben.id],
    });
    const reply = await say(ben, room, 'Noted', { replyToId: original.id });
    await call(ben, 'PUT', reactionPath(original, '👍'));
    expect((await call(ben, 'GET', `/api/search?q=${secret}`)).body.hits).toHaveLength(1);
    const benSocket = await parley.open(ben.token);
    const benInbox = collectMessages(benSocket);

    const deleted = await call(ana, 'DELETE', `/api/messages/${original.id}`);

    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    const { message, change } = deleted.body;
    expect(message).toMatchObject({ body: '', mentions: [], reactions: [] });
    expect(message.deletedAt).not.toBeNull();
    expect(change.change.type).toBe('message.deleted');
    expect(await benInbox.waitFor(1)).toEqual([change]);
    const [tombstone, , replyNow] = await history(ben, room);
    expect(tombstone).toEqual(message);
    expect(replyNow?.id).toBe(reply.id);
    expect(replyNow?.replyTo).toMatchObject({ messageId: original.id, deleted: true, excerpt: '' });
    expect((await call(ben, 'GET', `/api/search?q=${secret}`)).body.hits).toEqual([]);
    expect((await call(ana, 'GET', `/api/messages/${original.id}/versions`)).body.versions).toEqual([]);
    expect(await unread(ben)).toMatchObject({ mentionCount: 0 });
    // Deleting again changes nothing; a reaction on a tombstone is refused.
    expect((await call(ana, 'DELETE', `/api/messages/${original.id}`)).body.change).toBeNull();
    expect((await call(ben, 'PUT', reactionPath(original, '🎉'))).body.error.code).toBe('forbidden');
  });

  it('the author and the company admins delete; other members and outsiders cannot', async () => {
    const admin = await person('ada', { ...acme, role: 'admin' });
    const [ana, ben] = [await person('ana'), await person('ben')];
    const clientAdmin = await person('cleo', { ...oracare, role: 'admin' });
    const room = await group(ana, ben, admin, clientAdmin);
    const first = await say(ana, room, 'one');
    const second = await say(ana, room, 'two');

    expect((await call(ben, 'DELETE', `/api/messages/${first.id}`)).body.error.code).toBe('forbidden');
    expect((await call(clientAdmin, 'DELETE', `/api/messages/${first.id}`)).body.error.code).toBe(
      'forbidden',
    );
    expect((await call(await person('cy'), 'DELETE', `/api/messages/${first.id}`)).body.error.code).toBe(
      'not_found',
    );
    expect((await call(admin, 'DELETE', `/api/messages/${first.id}`)).status).toBe(200);
    expect((await call(ana, 'DELETE', `/api/messages/${second.id}`)).status).toBe(200);
    expect(
      (await history(ben, room)).filter((m) => m.kind !== 'change').map((m) => m.deletedAt !== null),
    ).toEqual([true, true]);
  });

  it('reactions toggle, list who reacted, and a hundred concurrent identical adds store one', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const viewer = await person('vic', { ...acme, role: 'viewer' });
    const room = await group(ana, ben, viewer);
    const message = await say(ana, room, 'Parts arrived');

    const answers = await Promise.all(
      Array.from({ length: 100 }, () => call(ben, 'PUT', reactionPath(message, '👍'))),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers.filter((answer) => answer.body.change !== null)).toHaveLength(1);
    await call(viewer, 'PUT', reactionPath(message, '👍'));
    await call(viewer, 'PUT', reactionPath(message, '👍🏽'));
    const [now] = await history(ana, room);
    expect(now?.reactions).toEqual([
      { emoji: '👍', count: 2, userIds: [ben.id, viewer.id] },
      { emoji: '👍🏽', count: 1, userIds: [viewer.id] },
    ]);
    const removed = await call(viewer, 'DELETE', reactionPath(message, '👍'));
    expect(removed.body.message.reactions[0]).toEqual({ emoji: '👍', count: 1, userIds: [ben.id] });
    expect((await call(viewer, 'DELETE', reactionPath(message, '👍'))).body.change).toBeNull();
    // One entry per real change: the message, one add by Ben, two by the viewer, one removal.
    expect(await history(ana, room)).toHaveLength(5);
    expect((await call(ben, 'PUT', `/api/messages/${message.id}/reactions/hello`)).body.error.code).toBe(
      'invalid_payload',
    );
  });

  it('the socket events act like the routes and answer with the change', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const room = await group(ana, ben);
    const [anaSocket, benSocket] = [await parley.open(ana.token), await parley.open(ben.token)];
    // Each action reaches every socket but the one it came on, whose ack carries it: Ben's other tab hears all.
    const benInbox = collectMessages(await parley.open(ben.token));
    const sent = await sendOnSocket(anaSocket, { conversationId: room, body: 'first draft' });
    if (!sent.ok) throw new Error('not sent');

    const edit = await anaSocket.emitWithAck('message:edit', { messageId: sent.message.id, body: 'final' });
    const react = await benSocket.emitWithAck('reaction:add', { messageId: sent.message.id, emoji: '✅' });
    const unreact = await benSocket.emitWithAck('reaction:remove', {
      messageId: sent.message.id,
      emoji: '✅',
    });
    const refused = await benSocket.emitWithAck('message:delete', { messageId: sent.message.id });
    const removed = await anaSocket.emitWithAck('message:delete', { messageId: sent.message.id });
    const invalid = await benSocket.emitWithAck('reaction:add', { messageId: sent.message.id, emoji: 'x' });

    for (const ack of [edit, react, unreact, removed]) expect(ack.ok).toBe(true);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const received = await benInbox.waitFor(5);
    expect(received.map((m) => [m.seq, m.change?.type])).toEqual([
      [1, undefined],
      [2, 'message.edited'],
      [3, 'reaction.added'],
      [4, 'reaction.removed'],
      [5, 'message.deleted'],
    ]);
  });

  it('a reply quotes its original as it is now, and only a message of the same conversation can be quoted', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const room = await group(ana, ben);
    const other = await group(ana, ben);
    const question = await say(ana, room, 'Which carrier?');
    const elsewhere = await say(ana, other, 'Unrelated');

    const reply = await say(ben, room, 'DHL', { replyToId: question.id });
    expect(reply.replyTo).toEqual({
      messageId: question.id,
      seq: question.seq,
      senderId: ana.id,
      excerpt: 'Which carrier?',
      editedAt: null,
      deleted: false,
    });
    await call(ana, 'PATCH', `/api/messages/${question.id}`, { body: 'Which carrier, DHL or UPS?' });
    const [, replyNow] = (await history(ben, room)).filter((m) => m.kind !== 'change');
    expect(replyNow?.replyTo).toMatchObject({ excerpt: 'Which carrier, DHL or UPS?', deleted: false });
    expect(replyNow?.replyTo?.editedAt).not.toBeNull();

    const cross = await call(ben, 'POST', `/api/conversations/${room}/messages`, {
      clientMsgId: randomUUID(),
      body: 'x',
      replyToId: elsewhere.id,
    });
    expect(cross.status).toBe(400);
    expect(cross.body.error.code).toBe('invalid_payload');
  });

  it('nothing changes in an archived conversation', async () => {
    const admin = await person('ada', { ...acme, role: 'admin' });
    const ben = await person('ben');
    const channel = await startConversation(parley.url, admin, {
      kind: 'channel',
      name: `archive-${randomUUID().slice(0, 6)}`,
      memberIds: [ben.id],
    });
    const message = await say(ben, channel.id, 'Last words');
    await call(admin, 'PATCH', `/api/conversations/${channel.id}`, { archived: true });

    expect((await call(ben, 'PUT', reactionPath(message, '👍'))).body.error.code).toBe('forbidden');
    expect((await call(ben, 'PATCH', `/api/messages/${message.id}`, { body: 'x' })).body.error.code).toBe(
      'forbidden',
    );
    expect((await history(ben, channel.id)).map((m) => m.body)).toEqual(['Last words']);
  });

  it('an SDK client that was offline applies every edit, delete and reaction once on resume', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const room = await group(ana, ben);
    const first = await say(ana, room, 'Order packed');
    const question = await say(ana, room, 'Who collects?');
    const client = await connected(parley.sdk(ben.token));
    await client.open(room);
    await say(ben, room, 'Me', { replyToId: question.id });
    await until(client, () => client.messages(room).length === 3);
    const changedEvents: string[] = [];
    client.on('changed', (_, messages) => changedEvents.push(...messages.map((m) => m.id)));
    client.close();

    await call(ana, 'PATCH', `/api/messages/${first.id}`, { body: 'Order packed and labelled' });
    await call(ana, 'PUT', reactionPath(first, '📦'));
    await call(ana, 'DELETE', `/api/messages/${question.id}`);
    client.connect();
    await until(client, () => client.cursor(room) === 6, 15_000, 'the changes');

    const fresh = (await history(ben, room)).filter((m) => m.kind !== 'change');
    expect(client.messages(room)).toEqual(fresh);
    expect(client.messages(room)[2]?.replyTo?.deleted).toBe(true);
    // The catch-up carries each changed message as it is now: applied once, however many changes it had.
    expect(changedEvents.sort()).toEqual([first.id, question.id, fresh[2]?.id].sort());
  });

  it('a delete gives up the webhook deliveries of the message not yet made, clears those made, and tells webhooks', async () => {
    const admin = await person('ada', { ...acme, role: 'admin' });
    const ana = await person('ana');
    const room = await group(admin, ana);
    // The receiver fails every message.created (so it stays pending, retrying) and takes message.deleted.
    const received: { type: string; data: { message: Message } }[] = [];
    const receiver = createServer(async (request, response) => {
      let text = '';
      for await (const chunk of request) text += chunk;
      const body = JSON.parse(text);
      received.push(body);
      response.writeHead(body.type === 'message.deleted' ? 204 : 503).end();
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const hook = await call(admin, 'POST', '/api/admin/webhooks', {
        url,
        events: ['message.created', 'message.deleted'],
      });
      expect(hook.status, JSON.stringify(hook.body)).toBe(201);
      const secret = `keycode${randomUUID().slice(0, 6)}`;
      const message = await say(ana, room, `The gate code is ${secret}`);
      await expect.poll(() => received.some((body) => body.type === 'message.created')).toBe(true);

      expect((await call(ana, 'DELETE', `/api/messages/${message.id}`)).status).toBe(200);

      await expect
        .poll(() => received.find((body) => body.type === 'message.deleted')?.data.message)
        .toMatchObject({
          id: message.id,
          body: '',
          deletedAt: expect.any(String),
        });
      const deliveries = (await call(admin, 'GET', `/api/admin/webhooks/${hook.body.webhook.id}/deliveries`))
        .body.deliveries as { event: string; status: string }[];
      expect(deliveries.find((d) => d.event === 'message.created')?.status).toBe('failed');
      const stored = await parley.server.db.query<{ payload: unknown }>(
        'select payload from webhook_deliveries where message_id = $1',
        [Number(message.id)],
      );
      expect(JSON.stringify(stored)).not.toContain(secret);
    } finally {
      receiver.close();
    }
  });
});
