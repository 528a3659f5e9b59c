// Losing access to a channel takes effect on the live socket at once, whichever way it is lost: the socket
// is told `conversation:left`, hears nothing more of the channel, and the API answers as if it never existed.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChannelPolicy, Message } from '../../src/protocol/models.ts';
import type { ParleyServer } from '../../src/server/app.ts';
import {
  axiom,
  type Claims,
  knownPerson,
  oracare,
  type Person,
  request,
  subscribedTo,
  tokenFor,
} from '../helpers/access.ts';
import { api, type ClientSocket, sendOnSocket } from '../helpers/clients.ts';
import { openDirectBoth } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { nextEvent } from '../helpers/events.ts';
import { useTestServer } from '../helpers/test-server.ts';

const drivers = testDrivers();
/** Starting PGlite servers takes seconds each, many more on a busy machine. */
const STARTUP_TIMEOUT_MS = 180_000;

/** Messages another member sends to the channel after the cut, none of which may reach the user. */
const SENT_AFTER_CUT = 20;

interface RevocationContext {
  server: ParleyServer;
  admin: Person;
  victim: Person;
  channelId: string;
  victimSocket: ClientSocket;
}

interface Revocation {
  /** Who loses access, as they are when the channel is created. */
  victim: Claims;
  policy: ChannelPolicy;
  /** Takes the channel away; resolves when the revoking call answered, with the victim's token from then on. */
  revoke(context: RevocationContext): Promise<{ answeredAt: number; token: string }>;
}

const updateChannel = async ({ server, admin, channelId }: RevocationContext, changes: object) => {
  const response = await request(server.url, 'PATCH', `/api/admin/channels/${channelId}`, {
    token: admin.token,
    body: changes,
  });
  const answeredAt = Date.now();
  expect(response.status).toBe(200);
  return answeredAt;
};

const revocations: [string, Revocation][] = [
  [
    'an admin removes the user from the channel',
    {
      victim: { ...axiom, role: 'member' },
      policy: { orgIds: ['axiom'], minRole: 'viewer', visibility: 'public' },
      async revoke({ server, admin, victim, channelId }) {
        const response = await request(
          server.url,
          'DELETE',
          `/api/admin/channels/${channelId}/members/${victim.id}`,
          { token: admin.token },
        );
        const answeredAt = Date.now();
        expect(response.status).toBe(204);
        return { answeredAt, token: victim.token };
      },
    },
  ],
  [
    "an admin narrows the policy to leave the user's organisation out",
    {
      victim: { ...oracare, role: 'member' },
      policy: { orgIds: ['axiom', 'oracare'], minRole: 'viewer', visibility: 'public' },
      async revoke(context) {
        const answeredAt = await updateChannel(context, { policy: { orgIds: ['axiom'] } });
        return { answeredAt, token: context.victim.token };
      },
    },
  ],
  [
    "an admin raises the channel's minRole above the user's role",
    {
      victim: { ...axiom, role: 'member' },
      policy: { orgIds: ['axiom'], minRole: 'viewer', visibility: 'private' },
      async revoke(context) {
        const answeredAt = await updateChannel(context, { policy: { minRole: 'admin' } });
        return { answeredAt, token: context.victim.token };
      },
    },
  ],
  [
    "the user's socket refreshes with a token showing another organisation",
    {
      victim: { ...oracare, role: 'member' },
      policy: { orgIds: ['axiom', 'oracare'], minRole: 'viewer', visibility: 'public' },
      async revoke({ victim, victimSocket }) {
        const token = await tokenFor(victim, { orgId: 'helix', orgKind: 'client' });
        const ack = await victimSocket.emitWithAck('auth:refresh', { token });
        const answeredAt = Date.now();
        expect(ack).toMatchObject({ ok: true });
        return { answeredAt, token };
      },
    },
  ],
  [
    'a REST request shows a newer token with the viewer role, below the channel minimum',
    {
      victim: { ...axiom, role: 'member' },
      policy: { orgIds: ['axiom'], minRole: 'member', visibility: 'public' },
      async revoke({ server, victim }) {
        const token = await tokenFor(victim, { role: 'viewer' });
        const me = await api(server.url, 'GET', '/api/me', { token });
        const answeredAt = Date.now();
        expect(me.body.user).toMatchObject({ id: victim.id, role: 'viewer' });
        return { answeredAt, token };
      },
    },
  ],
];

/**
 * Holds back the results of the server's queries that `matches` until `release`: a slow query, at the
 * moment the test chooses. `held` resolves once a matching query has read its rows.
 */
function holdQueryResults(
  server: ParleyServer,
  matches: (text: string, params: readonly unknown[]) => boolean,
) {
  const db = server.db;
  const original = db.query;
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let markHeld = () => {};
  const held = new Promise<void>((resolve) => {
    markHeld = resolve;
  });
  db.query = async <Row>(text: string, params?: readonly unknown[]): Promise<Row[]> => {
    const rows = (await original.call(db, text, params)) as Row[];
    if (matches(text, params ?? [])) {
      markHeld();
      await released;
    }
    return rows;
  };
  return {
    held,
    release() {
      db.query = original;
      release();
    },
  };
}

type Heard = { kind: 'message'; message: Message } | { kind: 'left'; conversationId: string };

describe.each(drivers)('revoking access on %s', (driver) => {
  const parley = useTestServer(driver, { startupTimeoutMs: STARTUP_TIMEOUT_MS });
  const open = (token: string) => parley.open(token);

  it.each(revocations)(
    'when %s, the socket leaves the channel at once and hears nothing more of it',
    async (label, revocation) => {
      const admin = await knownPerson(parley.url, 'admin', { ...axiom, role: 'admin' });
      const victim = await knownPerson(parley.url, 'victim', revocation.victim);
      const created = await api(parley.url, 'POST', '/api/admin/channels', {
        token: admin.token,
        body: {
          name: `revoked-${randomUUID().slice(0, 8)}`,
          memberIds: [victim.id],
          policy: revocation.policy,
        },
      });
      expect(created.status).toBe(201);
      const channelId: string = created.body.conversation.id;
      // A conversation the victim keeps: its messages come after the channel's on the same socket.
      const dmId = (await openDirectBoth(parley.url, admin, victim)).id;
      // The admin's second tab hears what the admin sends (the sending tab has it from its acks).
      const [adminSocket, adminOtherTab, victimSocket] = await Promise.all([
        open(admin.token),
        open(admin.token),
        open(victim.token),
      ]);
      await subscribedTo(parley.server, victimSocket, [channelId, dmId]);
      await subscribedTo(parley.server, adminSocket, [channelId, dmId]);
      await subscribedTo(parley.server, adminOtherTab, [channelId, dmId]);
      const heard: Heard[] = [];
      victimSocket.on('message:new', ({ message }) => heard.push({ kind: 'message', message }));
      victimSocket.on('conversation:left', ({ conversationId }) =>
        heard.push({ kind: 'left', conversationId }),
      );
      const adminHeard: Message[] = [];
      adminOtherTab.on('message:new', ({ message }) => adminHeard.push(message));

      // Before the cut the victim hears the channel, so hearing nothing after it means something.
      const heardBefore = nextEvent(
        victimSocket,
        'message:new',
        (e) => e.message.conversationId === channelId,
      );
      expect(
        await sendOnSocket(adminSocket, { conversationId: channelId, body: 'before the cut' }),
      ).toMatchObject({ ok: true });
      await heardBefore;

      const left = nextEvent(victimSocket, 'conversation:left', (e) => e.conversationId === channelId);
      const { answeredAt, token } = await revocation.revoke({
        server: parley.server,
        admin,
        victim,
        channelId,
        victimSocket,
      });
      const cutMs = (await left).at - answeredAt;
      expect(cutMs).toBeLessThan(2000);

      for (let i = 0; i < SENT_AFTER_CUT; i++) {
        const ack = await sendOnSocket(adminSocket, {
          conversationId: channelId,
          body: `after the cut ${i}`,
        });
        expect(ack.ok).toBe(true);
      }
      const barrier = nextEvent(victimSocket, 'message:new', (e) => e.message.conversationId === dmId);
      expect(await sendOnSocket(adminSocket, { conversationId: dmId, body: 'barrier' })).toMatchObject({
        ok: true,
      });
      await barrier;

      const cutIndex = heard.findIndex((e) => e.kind === 'left' && e.conversationId === channelId);
      const leaked = heard
        .slice(cutIndex + 1)
        .filter((e) => e.kind === 'message' && e.message.conversationId === channelId);
      console.log(
        `[revocation ${driver}] ${label}: ${leaked.length} message:new leaked after conversation:left ` +
          `(cut ${cutMs} ms after the revoking call answered)`,
      );
      expect(leaked).toEqual([]);
      // The channel's other members did hear those messages: they were fanned out, just not to the victim.
      await expect
        .poll(
          () =>
            adminHeard.filter((m) => m.conversationId === channelId && m.body.startsWith('after the cut'))
              .length,
        )
        .toBe(SENT_AFTER_CUT);

      const history = await api(parley.url, 'GET', `/api/conversations/${channelId}/messages`, { token });
      expect([history.status, history.body.error?.code]).toEqual([404, 'not_found']);
      const overRest = await api(parley.url, 'POST', `/api/conversations/${channelId}/messages`, {
        token,
        body: { clientMsgId: randomUUID(), body: 'am I still here?' },
      });
      expect([overRest.status, overRest.body.error?.code]).toEqual([404, 'not_found']);
      expect(await sendOnSocket(victimSocket, { conversationId: channelId, body: 'hello?' })).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
    },
  );

  // A handshake reads the user's conversations and joins their rooms after that await. A removal that
  // commits and calls socketsLeave in between finds the socket not yet in the channel's room, so the socket
  // must check again after joining, or it hears the channel until it reconnects. On PostgreSQL this happened
  // by chance whenever a removal and a handshake overlapped (found with this suite, see the report); here the
  // read is held back so that the overlap is certain on both drivers.
  it('leaves no socket subscribed to a channel its user was removed from while the socket was subscribing', async () => {
    const admin = await knownPerson(parley.url, 'admin', { ...axiom, role: 'admin' });
    const victim = await knownPerson(parley.url, 'victim', { ...axiom, role: 'member' });
    const created = await api(parley.url, 'POST', '/api/admin/channels', {
      token: admin.token,
      body: { name: `raced-${randomUUID().slice(0, 8)}`, memberIds: [victim.id] },
    });
    const channelId: string = created.body.conversation.id;
    const dmId = (await openDirectBoth(parley.url, admin, victim)).id;
    const adminSocket = await open(admin.token);
    await subscribedTo(parley.server, adminSocket, [channelId, dmId]);

    const subscribing = holdQueryResults(
      parley.server,
      (text, params) =>
        text.includes('select m.conversation_id from conversation_members') && params[0] === victim.id,
    );
    let victimSocket: ClientSocket;
    const heard: Heard[] = [];
    try {
      const opened = parley.watch(victim.token);
      opened.socket.on('message:new', ({ message }) => heard.push({ kind: 'message', message }));
      opened.socket.on('conversation:left', ({ conversationId }) =>
        heard.push({ kind: 'left', conversationId }),
      );
      victimSocket = await opened.connected;
      // The handshake has read the victim's conversations, the channel among them, and not yet joined them.
      await subscribing.held;
      const removed = await request(
        parley.url,
        'DELETE',
        `/api/admin/channels/${channelId}/members/${victim.id}`,
        { token: admin.token },
      );
      expect(removed.status).toBe(204);
    } finally {
      subscribing.release();
    }
    // `sync` is answered only once the handshake has finished subscribing the socket.
    const synced = await victimSocket.emitWithAck('sync', { cursors: {} });
    expect(synced.ok && synced.conversations.map((c) => c.id)).toEqual([dmId]);

    expect(await sendOnSocket(adminSocket, { conversationId: channelId, body: 'after' })).toMatchObject({
      ok: true,
    });
    const barrier = nextEvent(victimSocket, 'message:new', (e) => e.message.conversationId === dmId);
    expect(await sendOnSocket(adminSocket, { conversationId: dmId, body: 'barrier' })).toMatchObject({
      ok: true,
    });
    await barrier;
    const cutIndex = heard.findIndex((e) => e.kind === 'left' && e.conversationId === channelId);
    expect(cutIndex).toBeGreaterThanOrEqual(0);
    const leaked = heard
      .slice(cutIndex + 1)
      .filter((e) => e.kind === 'message' && e.message.conversationId === channelId);
    console.log(
      `[revocation ${driver}] removed while the socket was subscribing: ${leaked.length} message:new ` +
        'leaked after conversation:left',
    );
    expect(leaked).toEqual([]);
  });
});
