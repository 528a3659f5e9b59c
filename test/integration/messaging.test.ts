// Two people talking in real time, with every message stored before it is acknowledged: the core contract,
// through the real server over real sockets and HTTP, on both database drivers.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/protocol/models.ts';
import { acme, knownPerson } from '../helpers/access.ts';
import { api, type ClientSocket, sendOnSocket, type TestUser } from '../helpers/clients.ts';
import { startDirect } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { collectMessages } from '../helpers/events.ts';
import { useTestServer } from '../helpers/test-server.ts';

const drivers = testDrivers();

describe.each(drivers)('messaging on %s', (driver) => {
  const parley = useTestServer(driver);

  const person = (label: string) => knownPerson(parley.url, label, acme);
  const open = (user: TestUser) => parley.open(user.token);
  const startDm = (a: TestUser, b: TestUser) => startDirect(parley.url, a, b);
  const history = async (user: TestUser, conversationId: string, query = '') =>
    (
      await api(parley.url, 'GET', `/api/conversations/${conversationId}/messages${query}`, {
        token: user.token,
      })
    ).body;

  it('delivers a DM live to the other member with the seq the sender was acknowledged', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const [anaSocket, benSocket] = [await open(ana), await open(ben)];
    const dm = await startDm(ana, ben);
    const benInbox = collectMessages(benSocket);

    const ack = await sendOnSocket(anaSocket, {
      conversationId: dm.id,
      body: 'Hi Ben, order #1234 ships today',
    });

    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.message).toMatchObject({
      conversationId: dm.id,
      seq: 1,
      senderId: ana.id,
      body: 'Hi Ben, order #1234 ships today',
    });
    const [received] = await benInbox.waitFor(1);
    expect(received).toEqual(ack.message);
    expect((await history(ben, dm.id)).messages).toEqual([ack.message]);
  });

  it("sends a message to the sender's other tabs too", async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const [tab1, tab2] = [await open(ana), await open(ana)];
    await open(ben);
    const dm = await startDm(ana, ben);
    const secondTab = collectMessages(tab2);

    const ack = await sendOnSocket(tab1, { conversationId: dm.id, body: 'from tab one' });

    expect(ack.ok).toBe(true);
    const [received] = await secondTab.waitFor(1);
    expect(received?.body).toBe('from tab one');
  });

  it('tells every connected member about a new conversation, the invited with its first message, and subscribes them', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const tabs = [await open(ana), await open(ben), await open(ben)];
    const joined = tabs.map(
      (socket) =>
        new Promise<Conversation>((resolve) =>
          socket.once('conversation:joined', (e) => resolve(e.conversation)),
        ),
    );
    const inboxes = tabs.map(collectMessages);

    const dm = await startDm(ana, ben);
    expect((await joined[0])?.id).toBe(dm.id);

    // Subscribed: a message in the new conversation reaches every tab live, though none of them asked for it;
    // Ben's tabs hear of the conversation with it.
    const sent = await api(parley.url, 'POST', `/api/conversations/${dm.id}/messages`, {
      token: ana.token,
      body: { clientMsgId: randomUUID(), body: 'first words' },
    });
    expect(sent.status).toBe(201);
    expect((await Promise.all(joined)).map((conversation) => conversation.id)).toEqual([dm.id, dm.id, dm.id]);
    for (const inbox of inboxes) expect(await inbox.waitFor(1)).toEqual([sent.body.message]);
  });

  it('returns the one existing DM for a repeated request, from either side, and for simultaneous requests', async () => {
    const [ana, ben, cy] = [await person('ana'), await person('ben'), await person('cy')];
    const first = await startDm(ana, ben);
    const again = await api(parley.url, 'POST', '/api/conversations', {
      token: ana.token,
      body: { kind: 'direct', memberIds: [ben.id] },
    });
    const fromBen = await api(parley.url, 'POST', '/api/conversations', {
      token: ben.token,
      body: { kind: 'direct', memberIds: [ana.id] },
    });
    expect([again.status, fromBen.status]).toEqual([200, 200]);
    expect([again.body.conversation.id, fromBen.body.conversation.id]).toEqual([first.id, first.id]);

    const racing = await Promise.all(
      [ana, cy, ana, cy].map((user, i) =>
        api(parley.url, 'POST', '/api/conversations', {
          token: user.token,
          body: { kind: 'direct', memberIds: [i % 2 ? ana.id : cy.id] },
        }),
      ),
    );
    expect(new Set(racing.map((r) => r.body.conversation.id)).size).toBe(1);
    expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('stores nothing new for a resend with the same clientMsgId and answers with the original', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const [tab1, tab2] = [await open(ana), await open(ana)];
    const dm = await startDm(ana, ben);
    const clientMsgId = randomUUID();
    const payload = { conversationId: dm.id, clientMsgId, body: 'exactly once' };

    const [first, second] = await Promise.all([sendOnSocket(tab1, payload), sendOnSocket(tab2, payload)]);
    const third = await sendOnSocket(tab1, payload);
    const overHttp = await api(parley.url, 'POST', `/api/conversations/${dm.id}/messages`, {
      token: ana.token,
      body: { clientMsgId, body: 'exactly once' },
    });

    expect(first).toEqual(second);
    expect(third).toEqual(first);
    expect(first.ok && overHttp.body.message).toEqual(first.ok && first.message);
    const { messages } = await history(ana, dm.id);
    expect(messages).toHaveLength(1);
    const next = await sendOnSocket(tab1, { conversationId: dm.id, body: 'next one' });
    expect(next.ok && next.message.seq).toBe(2);
  });

  it('refuses a reused clientMsgId with a different body or conversation as idempotency_conflict', async () => {
    const [ana, ben, cy] = [await person('ana'), await person('ben'), await person('cy')];
    const socket = await open(ana);
    const dm = await startDm(ana, ben);
    const other = await startDm(ana, cy);
    const clientMsgId = randomUUID();
    await sendOnSocket(socket, { conversationId: dm.id, clientMsgId, body: 'original' });

    const changedBody = await sendOnSocket(socket, { conversationId: dm.id, clientMsgId, body: 'edited' });
    const otherConversation = await sendOnSocket(socket, {
      conversationId: other.id,
      clientMsgId,
      body: 'original',
    });

    for (const ack of [changedBody, otherConversation]) {
      expect(ack).toMatchObject({ ok: false, error: { code: 'idempotency_conflict' } });
    }
    expect((await history(ana, dm.id)).messages.map((m: { body: string }) => m.body)).toEqual(['original']);
    expect((await history(ana, other.id)).messages).toEqual([]);
  });

  it('answers bad socket input with a clear error code and stores nothing', async () => {
    const [ana, ben, outsider] = [await person('ana'), await person('ben'), await person('outsider')];
    const socket = await open(ana);
    const outsiderSocket = await open(outsider);
    const dm = await startDm(ana, ben);
    const send = (payload: unknown, from = socket) =>
      (from.emitWithAck as (event: string, payload: unknown) => Promise<unknown>)('message:send', payload);

    const cases: [unknown, string, ClientSocket?][] = [
      [{ conversationId: dm.id, clientMsgId: randomUUID(), body: '' }, 'empty_message'],
      [{ conversationId: dm.id, clientMsgId: randomUUID(), body: ' \n\t ' }, 'empty_message'],
      [{ conversationId: dm.id, clientMsgId: randomUUID(), body: 'x'.repeat(4001) }, 'message_too_long'],
      [{ conversationId: dm.id, clientMsgId: randomUUID() }, 'invalid_payload'],
      [{ conversationId: dm.id, clientMsgId: randomUUID(), body: 42 }, 'invalid_payload'],
      [{ conversationId: dm.id, clientMsgId: 'has spaces', body: 'hi' }, 'invalid_payload'],
      [{ conversationId: dm.id, clientMsgId: randomUUID(), body: 'hi', extra: true }, 'invalid_payload'],
      [{ conversationId: dm.id, clientMsgId: randomUUID(), body: 'nul \u0000 byte' }, 'invalid_payload'],
      [
        { conversationId: dm.id, clientMsgId: randomUUID(), body: 'lone \ud800 surrogate' },
        'invalid_payload',
      ],
      ['not an object', 'invalid_payload'],
      [null, 'invalid_payload'],
      [{ conversationId: randomUUID(), clientMsgId: randomUUID(), body: 'hi' }, 'not_found'],
      [{ conversationId: dm.id, clientMsgId: randomUUID(), body: 'let me in' }, 'not_found', outsiderSocket],
    ];
    for (const [payload, code, from] of cases) {
      expect(await send(payload, from), JSON.stringify(payload)?.slice(0, 80)).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    // 4,000 characters is the limit: counted in characters, so 4,000 emoji pass.
    const atLimit = await send({ conversationId: dm.id, clientMsgId: randomUUID(), body: '😀'.repeat(4000) });
    expect(atLimit).toMatchObject({ ok: true, message: { seq: 1 } });
    const { messages } = await history(ana, dm.id);
    expect(messages).toHaveLength(1);
  });

  it('answers a non-member exactly as it answers for a conversation that does not exist', async () => {
    const [ana, ben, outsider] = [await person('ana'), await person('ben'), await person('outsider')];
    const dm = await startDm(ana, ben);
    const paths = (id: string) =>
      [
        ['GET', `/api/conversations/${id}`],
        ['GET', `/api/conversations/${id}/messages`],
        ['POST', `/api/conversations/${id}/messages`, { clientMsgId: randomUUID(), body: 'hi' }],
        ['POST', `/api/conversations/${id}/read`, { seq: 1 }],
      ] as const;
    for (const [[method, path, body], [, missingPath, missingBody]] of paths(dm.id).map(
      (p, i) => [p, paths(randomUUID())[i]!] as const,
    )) {
      const forbidden = await api(parley.url, method, path, { token: outsider.token, body });
      const missing = await api(parley.url, method, missingPath, {
        token: outsider.token,
        body: missingBody,
      });
      expect(forbidden.status).toBe(404);
      expect(forbidden.body).toEqual(missing.body);
    }
  });

  it('serves history in seq order, paged backwards with before and forwards with after', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const dm = await startDm(ana, ben);
    for (let i = 1; i <= 7; i++) {
      const sent = await api(parley.url, 'POST', `/api/conversations/${dm.id}/messages`, {
        token: i % 2 ? ana.token : ben.token,
        body: { clientMsgId: `m-${i}`, body: `message ${i}` },
      });
      expect(sent.status).toBe(201);
    }
    const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((m) => m.seq);

    const latest = await history(ben, dm.id, '?limit=3');
    expect([seqs(latest), latest.hasMore]).toEqual([[5, 6, 7], true]);
    const earlier = await history(ben, dm.id, '?limit=3&before=5');
    expect([seqs(earlier), earlier.hasMore]).toEqual([[2, 3, 4], true]);
    const first = await history(ben, dm.id, '?limit=3&before=2');
    expect([seqs(first), first.hasMore]).toEqual([[1], false]);
    const after = await history(ben, dm.id, '?after=4&limit=2');
    expect([seqs(after), after.hasMore]).toEqual([[5, 6], true]);
    const tail = await history(ben, dm.id, '?after=6');
    expect([seqs(tail), tail.hasMore]).toEqual([[7], false]);

    for (const query of ['?limit=101', '?limit=0', '?before=-1', '?after=abc', '?cursor=1']) {
      const bad = await api(parley.url, 'GET', `/api/conversations/${dm.id}/messages${query}`, {
        token: ana.token,
      });
      expect([bad.status, bad.body.error.code], query).toEqual([400, 'invalid_payload']);
    }
  });

  it('lists my conversations with their last message and my unread count, which reading clears', async () => {
    const [ana, ben] = [await person('ana'), await person('ben')];
    const dm = await startDm(ana, ben);
    for (const [user, body] of [
      [ana, 'one'],
      [ana, 'two'],
      [ben, 'three'],
    ] as const) {
      await api(parley.url, 'POST', `/api/conversations/${dm.id}/messages`, {
        token: user.token,
        body: { clientMsgId: randomUUID(), body },
      });
    }
    const listFor = async (user: TestUser) =>
      (await api(parley.url, 'GET', '/api/conversations', { token: user.token })).body
        .conversations as Conversation[];

    const [anaView] = await listFor(ana);
    const [benView] = await listFor(ben);
    expect(anaView).toMatchObject({
      id: dm.id,
      kind: 'direct',
      lastSeq: 3,
      unreadCount: 1,
      lastMessage: { body: 'three' },
    });
    expect(anaView?.members?.map((m) => m.id).sort()).toEqual([ana.id, ben.id].sort());
    // Ben's own reply counts as having read what came before it.
    expect(benView).toMatchObject({ unreadCount: 0, lastReadSeq: 3 });

    const read = await api(parley.url, 'POST', `/api/conversations/${dm.id}/read`, {
      token: ana.token,
      body: { seq: 3 },
    });
    expect(read.body).toEqual({ lastReadSeq: 3 });
    const stale = await api(parley.url, 'POST', `/api/conversations/${dm.id}/read`, {
      token: ana.token,
      body: { seq: 1 },
    });
    expect(stale.body).toEqual({ lastReadSeq: 3 });
    const beyond = await api(parley.url, 'POST', `/api/conversations/${dm.id}/read`, {
      token: ana.token,
      body: { seq: 99 },
    });
    expect(beyond.body).toEqual({ lastReadSeq: 3 });
    expect((await listFor(ana))[0]).toMatchObject({ unreadCount: 0 });
  });

  it('creates groups and channels, refusing unknown members and taken channel names', async () => {
    const [ana, ben, cy] = [await person('ana'), await person('ben'), await person('cy')];
    const group = await api(parley.url, 'POST', '/api/conversations', {
      token: ana.token,
      body: { kind: 'group', memberIds: [ben.id, cy.id] },
    });
    expect(group.status).toBe(201);
    expect(group.body.conversation).toMatchObject({ kind: 'group', memberCount: 3 });

    const name = `Ops-${randomUUID().slice(0, 6)}`;
    const channel = await api(parley.url, 'POST', '/api/conversations', {
      token: ana.token,
      body: { kind: 'channel', name: `#${name}`, memberIds: [ben.id] },
    });
    expect(channel.status).toBe(201);
    expect(channel.body.conversation).toMatchObject({
      kind: 'channel',
      name: name.toLowerCase(),
      memberCount: 2,
      members: null,
    });

    const taken = await api(parley.url, 'POST', '/api/conversations', {
      token: ben.token,
      body: { kind: 'channel', name },
    });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'name_taken']);
    const unknown = await api(parley.url, 'POST', '/api/conversations', {
      token: ana.token,
      body: { kind: 'group', memberIds: ['nobody-here'] },
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    for (const body of [
      { kind: 'channel', name: 'has space' },
      { kind: 'direct', memberIds: [] },
      { kind: 'nope' },
      { kind: 'group', memberIds: [ana.id] },
    ]) {
      const bad = await api(parley.url, 'POST', '/api/conversations', { token: ana.token, body });
      expect([bad.status, bad.body.error.code], JSON.stringify(body)).toEqual([400, 'invalid_payload']);
    }
    const malformed = await api(parley.url, 'POST', '/api/conversations', {
      token: ana.token,
      rawBody: '{"kind":',
    });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'invalid_payload']);
  });

  it('delivers every message exactly once and in seq order to 50 members while 5 of them send at once', async () => {
    const members = await Promise.all(Array.from({ length: 50 }, (_, i) => person(`crowd${i}`)));
    const crowd = await Promise.all(members.map((member) => open(member)));
    const channel = await api(parley.url, 'POST', '/api/conversations', {
      token: members[0]!.token,
      body: {
        kind: 'channel',
        name: `crowd-${randomUUID().slice(0, 8)}`,
        memberIds: members.slice(1).map((m) => m.id),
      },
    });
    expect(channel.status).toBe(201);
    const conversationId = channel.body.conversation.id as string;
    const inboxes = crowd.map((socket) => collectMessages(socket));
    const perSender = 20;
    const senders = crowd.slice(0, 5);

    const acks = await Promise.all(
      senders.map(async (socket, s) => {
        const results = [];
        // Each sender keeps a few sends in flight, as a busy client would.
        for (let batch = 0; batch < perSender; batch += 4) {
          results.push(
            ...(await Promise.all(
              Array.from({ length: 4 }, (_, k) =>
                sendOnSocket(socket, { conversationId, body: `sender ${s} message ${batch + k}` }),
              ),
            )),
          );
        }
        return results;
      }),
    );
    const total = senders.length * perSender;
    const acked = acks.flat();
    expect(acked.every((ack) => ack.ok)).toBe(true);
    expect(new Set(acked.map((ack) => ack.ok && ack.message.seq))).toEqual(
      new Set(Array.from({ length: total }, (_, i) => i + 1)),
    );

    // A sending socket has its own messages from their acks; it hears everyone else's live.
    const ownSeqs = crowd.map((_, i) =>
      i < senders.length ? (acks[i] ?? []).map((ack) => (ack.ok ? ack.message.seq : 0)) : [],
    );
    await Promise.all(inboxes.map((inbox, i) => inbox.waitFor(total - (ownSeqs[i]?.length ?? 0))));
    const expected = Array.from({ length: total }, (_, i) => i + 1);
    inboxes.forEach((inbox, i) => {
      const heard = inbox.received.map((m) => m.seq);
      expect(heard).toEqual([...heard].sort((a, b) => a - b));
      expect(heard.filter((seq) => ownSeqs[i]?.includes(seq))).toEqual([]);
      expect([...heard, ...(ownSeqs[i] ?? [])].sort((a, b) => a - b)).toEqual(expected);
    });
    expect(
      (await history(members[7]!, conversationId, '?after=0&limit=100')).messages.map(
        (m: { seq: number }) => m.seq,
      ),
    ).toEqual(expected);
  });
});
