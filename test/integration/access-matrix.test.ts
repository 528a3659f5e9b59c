// The authorization matrix: every (organisation kind × role) user against every kind of conversation and
// every action, on both drivers. Expectations come from one table of conversations and one of actions, so a
// new action or conversation extends the matrix by a line.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayManageChannel } from '../../src/protocol/channel-rights.ts';
import type { ChannelPolicy, OrganizationKind, Role } from '../../src/protocol/models.ts';
import { restRoutes } from '../../src/protocol/routes.ts';
import { createHostKey, knownPerson, request } from '../helpers/access.ts';
import { upload } from '../helpers/attachments.ts';
import { api, type ClientSocket, connect, sendOnSocket } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { useTestServer } from '../helpers/test-server.ts';

const drivers = testDrivers();

const organizations: Record<string, OrganizationKind> = {
  axiom: 'internal',
  oracare: 'client',
  northwind: 'vendor',
};
const actorRoles: Role[] = ['admin', 'member', 'viewer'];

interface Person {
  id: string;
  orgId: string;
  orgKind: OrganizationKind;
  role: Role;
}

const person = (orgId: string, role: Role, label: string = role): Person => ({
  id: `${orgId}-${label}`,
  orgId,
  orgKind: organizations[orgId] as OrganizationKind,
  role,
});
/** The nine users whose rights the matrix checks. */
const actors = Object.keys(organizations).flatMap((orgId) => actorRoles.map((role) => person(orgId, role)));
/** Users who are never checked: members of conversations between others, and candidates to add. */
const bystanders = [
  person('axiom', 'member', 'x'),
  person('oracare', 'member', 'x'),
  person('axiom', 'member', 'candidate'),
  person('axiom', 'admin', 'candidate-admin'),
];

interface ConversationSpec {
  /** `record`: a thread the host declared for axiom and oracare; `notes`: axiom's internal notes on it. */
  kind: 'channel' | 'direct' | 'group' | 'record' | 'notes';
  policy?: ChannelPolicy;
  members: string[];
  /** The member who sends the probe that tests live delivery. */
  sender: string;
  /** Someone in scope and not a member, for the add-member action. */
  candidate: string;
  /** Who created it, for channels: an internal admin unless named. */
  creator?: string;
}

const both = ['axiom', 'oracare'];
const conversations: Record<string, ConversationSpec> = {
  internal: {
    kind: 'channel',
    policy: { orgIds: ['axiom'], minRole: 'admin', visibility: 'private' },
    members: ['axiom-admin'],
    sender: 'axiom-admin',
    candidate: 'axiom-candidate-admin',
  },
  'oracare-team': {
    kind: 'channel',
    policy: { orgIds: both, minRole: 'viewer', visibility: 'public' },
    members: ['axiom-admin', 'axiom-viewer', 'oracare-member', 'oracare-viewer'],
    sender: 'axiom-admin',
    candidate: 'axiom-candidate',
  },
  manufacturer: {
    kind: 'channel',
    policy: { orgIds: ['axiom', 'northwind'], minRole: 'viewer', visibility: 'public' },
    members: ['axiom-admin', 'axiom-member', 'northwind-member', 'northwind-viewer'],
    sender: 'axiom-admin',
    candidate: 'axiom-candidate',
  },
  'private-oracare': {
    kind: 'channel',
    policy: { orgIds: both, minRole: 'viewer', visibility: 'private' },
    members: ['axiom-admin', 'oracare-admin'],
    sender: 'axiom-admin',
    candidate: 'axiom-candidate',
  },
  'members-only': {
    kind: 'channel',
    policy: { orgIds: both, minRole: 'member', visibility: 'public' },
    members: ['axiom-admin', 'oracare-member'],
    sender: 'axiom-admin',
    candidate: 'axiom-candidate',
  },
  // Made by a staff member who is not an admin: they run it, and admins who are not in it do not.
  'staff-made': {
    kind: 'channel',
    policy: { orgIds: both, minRole: 'viewer', visibility: 'public' },
    members: ['axiom-member', 'axiom-viewer', 'oracare-member', 'oracare-viewer'],
    sender: 'axiom-member',
    candidate: 'axiom-candidate',
    creator: 'axiom-member',
  },
  'dm-between-others': {
    kind: 'direct',
    members: ['axiom-x', 'oracare-x'],
    sender: 'axiom-x',
    candidate: 'axiom-candidate',
  },
  'group-between-others': {
    kind: 'group',
    members: ['axiom-x', 'oracare-x', 'axiom-member'],
    sender: 'axiom-x',
    candidate: 'axiom-candidate',
  },
  // Members of a record thread are those who opened it; axiom's openers also joined axiom's notes.
  'order-thread': {
    kind: 'record',
    policy: { orgIds: both, minRole: 'viewer', visibility: 'private' },
    members: ['axiom-admin', 'axiom-viewer', 'oracare-member'],
    sender: 'axiom-admin',
    candidate: 'axiom-candidate',
  },
  'order-notes': {
    kind: 'notes',
    policy: { orgIds: ['axiom'], minRole: 'viewer', visibility: 'private' },
    members: ['axiom-admin', 'axiom-viewer'],
    sender: 'axiom-admin',
    candidate: 'axiom-candidate',
  },
};
const recordId = `matrix-${randomUUID().slice(0, 8)}`;

const rank: Record<Role, number> = { viewer: 1, member: 2, admin: 3 };
const isMember = (actor: Person, spec: ConversationSpec) => spec.members.includes(actor.id);
const inScope = (actor: Person, { policy }: ConversationSpec) => {
  if (!policy) return false;
  return policy.orgIds.includes(actor.orgId) && rank[actor.role] >= rank[policy.minRole];
};
const findable = (actor: Person, spec: ConversationSpec) =>
  spec.kind === 'channel' &&
  (isMember(actor, spec) || (spec.policy?.visibility === 'public' && inScope(actor, spec)));
const isParleyAdmin = (actor: Person) => actor.orgKind === 'internal' && actor.role === 'admin';
const creatorOf = (spec: ConversationSpec) => spec.creator ?? 'axiom-admin';
/** Members who run the channel: its creator, or an internal admin. */
const manages = (actor: Person, spec: ConversationSpec) =>
  spec.kind === 'channel' && isMember(actor, spec) && mayManageChannel(actor, creatorOf(spec));

interface World {
  url: string;
  token: Record<string, string>;
  socket: Record<string, ClientSocket>;
  id: Record<string, string>;
  /** Probe messages each actor received live, by conversation name. */
  received: Record<string, Set<string>>;
  /** The id of the probe message sent in each conversation, by name: what message actions act on. */
  probe: Record<string, string>;
}

interface Action {
  /** The route it calls (`METHOD /path`), when it calls one about the conversation. */
  probes?: string;
  /** Whether `actor` may do it to the conversation, in the product's rules. */
  allowed: (actor: Person, spec: ConversationSpec) => boolean;
  /** Does it and reports whether the server allowed it; a denial must look like not_found or forbidden. */
  attempt: (world: World, actor: Person, name: string, spec: ConversationSpec) => Promise<boolean>;
}

/** True for 2xx; false for a denial with the right shape; anything else fails the test. */
function outcome(response: { status: number; body: any }, label: string): boolean {
  if (response.status >= 200 && response.status < 300) return true;
  expect([403, 404], `${label}: ${JSON.stringify(response.body)}`).toContain(response.status);
  expect(response.body.error.code, label).toBe(response.status === 404 ? 'not_found' : 'forbidden');
  return false;
}

const rest =
  (
    method: string,
    path: (id: string, spec: ConversationSpec) => string,
    body?: (spec: ConversationSpec) => unknown,
  ) =>
  async (world: World, actor: Person, name: string, spec: ConversationSpec) =>
    outcome(
      // `request`, not `api`: a 204 has no body to parse.
      await request(world.url, method, path(world.id[name] as string, spec), {
        token: world.token[actor.id],
        body: body?.(spec),
      }),
      `${method} ${name} as ${actor.id}`,
    );

function ackOutcome(ack: { ok: boolean; error?: { code: string } }): boolean {
  if (!ack.ok) expect(ack.error?.code).toBe('not_found');
  return ack.ok;
}

// Read-only actions come first and membership-changing ones last, so every row is judged against the
// membership in the conversations table above.
const actions: Record<string, Action> = {
  'list in my conversations': {
    allowed: isMember,
    attempt: async (world, actor, name) => {
      const { body } = await api(world.url, 'GET', '/api/conversations', { token: world.token[actor.id] });
      return body.conversations.some((c: { id: string }) => c.id === world.id[name]);
    },
  },
  'find in channel browser': {
    allowed: findable,
    attempt: async (world, actor, name) => {
      const { body } = await api(world.url, 'GET', '/api/channels', { token: world.token[actor.id] });
      return body.channels.some((c: { id: string }) => c.id === world.id[name]);
    },
  },
  'get conversation': {
    probes: 'GET /api/conversations/:id',
    allowed: isMember,
    attempt: rest('GET', (id) => `/api/conversations/${id}`),
  },
  'read history': {
    probes: 'GET /api/conversations/:id/messages',
    allowed: isMember,
    attempt: rest('GET', (id) => `/api/conversations/${id}/messages`),
  },
  'read receipts': {
    probes: 'GET /api/conversations/:id/receipts',
    allowed: isMember,
    attempt: rest('GET', (id) => `/api/conversations/${id}/receipts?seq=1`),
  },
  'list channel members': {
    probes: 'GET /api/conversations/:id/members',
    allowed: (actor, spec) => isMember(actor, spec) && spec.kind === 'channel',
    attempt: rest('GET', (id) => `/api/conversations/${id}/members`),
  },
  'catch up (socket sync)': {
    allowed: isMember,
    attempt: async (world, actor, name) => {
      const ack = await world.socket[actor.id]!.emitWithAck('sync', {
        cursors: { [world.id[name] as string]: 0 },
      });
      expect(ack.ok, `sync as ${actor.id}`).toBe(true);
      return ack.ok && ack.catchUp.some((c) => c.conversationId === world.id[name] && c.messages.length > 0);
    },
  },
  'mark read (REST)': {
    probes: 'POST /api/conversations/:id/read',
    allowed: isMember,
    attempt: rest(
      'POST',
      (id) => `/api/conversations/${id}/read`,
      () => ({ seq: 1 }),
    ),
  },
  'mark read (socket)': {
    allowed: isMember,
    attempt: async (world, actor, name) =>
      ackOutcome(
        await world.socket[actor.id]!.emitWithAck('conversation:read', {
          conversationId: world.id[name] as string,
          seq: 1,
        }),
      ),
  },
  'receive live messages': {
    allowed: isMember,
    attempt: async (world, actor, name) => world.received[actor.id]?.has(name) ?? false,
  },
  'mute (REST)': {
    probes: 'POST /api/conversations/:id/mute',
    allowed: isMember,
    attempt: rest(
      'POST',
      (id) => `/api/conversations/${id}/mute`,
      () => ({ muted: false }),
    ),
  },
  'send (REST)': {
    probes: 'POST /api/conversations/:id/messages',
    allowed: isMember,
    attempt: rest(
      'POST',
      (id) => `/api/conversations/${id}/messages`,
      () => ({ clientMsgId: randomUUID(), body: 'matrix send over REST' }),
    ),
  },
  'upload an attachment': {
    probes: 'POST /api/conversations/:id/attachments',
    allowed: isMember,
    attempt: async (world, actor, name) =>
      outcome(
        await upload(
          world.url,
          { id: actor.id, token: world.token[actor.id] as string },
          world.id[name] as string,
          {
            bytes: 'matrix upload',
            name: 'matrix.txt',
          },
        ),
        `upload to ${name} as ${actor.id}`,
      ),
  },
  'send (socket)': {
    allowed: isMember,
    attempt: async (world, actor, name) =>
      ackOutcome(
        await sendOnSocket(world.socket[actor.id]!, {
          conversationId: world.id[name] as string,
          body: 'matrix send over socket',
        }),
      ),
  },
  // Actions on the probe message: reactions first, then edits, then deletes (after which only deleting
  // again is allowed), so each row is judged on a message in the state the rules assume.
  'react to a message (REST)': {
    allowed: isMember,
    attempt: async (world, actor, name) =>
      outcome(
        await request(
          world.url,
          'PUT',
          `/api/messages/${world.probe[name]}/reactions/${encodeURIComponent('👀')}`,
          {
            token: world.token[actor.id],
          },
        ),
        `react in ${name} as ${actor.id}`,
      ),
  },
  'react to a message (socket)': {
    allowed: isMember,
    attempt: async (world, actor, name) =>
      ackOutcome(
        await world.socket[actor.id]!.emitWithAck('reaction:add', {
          messageId: world.probe[name] as string,
          emoji: '✅',
        }),
      ),
  },
  "see a message's earlier versions": {
    allowed: (actor, spec) => isMember(actor, spec) && (actor.id === spec.sender || isParleyAdmin(actor)),
    attempt: async (world, actor, name) =>
      outcome(
        await request(world.url, 'GET', `/api/messages/${world.probe[name]}/versions`, {
          token: world.token[actor.id],
        }),
        `versions in ${name} as ${actor.id}`,
      ),
  },
  'edit a message': {
    allowed: (actor, spec) => isMember(actor, spec) && actor.id === spec.sender,
    attempt: async (world, actor, name) =>
      outcome(
        await request(world.url, 'PATCH', `/api/messages/${world.probe[name]}`, {
          token: world.token[actor.id],
          body: { body: `probe in ${name}, edited by ${actor.id}` },
        }),
        `edit in ${name} as ${actor.id}`,
      ),
  },
  'delete a message': {
    allowed: (actor, spec) => isMember(actor, spec) && (actor.id === spec.sender || isParleyAdmin(actor)),
    attempt: async (world, actor, name) =>
      outcome(
        await request(world.url, 'DELETE', `/api/messages/${world.probe[name]}`, {
          token: world.token[actor.id],
        }),
        `delete in ${name} as ${actor.id}`,
      ),
  },
  'signal typing (socket)': {
    allowed: isMember,
    attempt: async (world, actor, name) =>
      ackOutcome(
        (await world.socket[actor.id]!.emitWithAck('typing', {
          conversationId: world.id[name] as string,
          typing: true,
        })) as { ok: boolean; error?: { code: string } },
      ),
  },
  'add a member': {
    probes: 'POST /api/conversations/:id/members',
    allowed: (actor, spec) => isMember(actor, spec) && actor.role !== 'viewer' && spec.kind !== 'direct',
    attempt: rest(
      'POST',
      (id) => `/api/conversations/${id}/members`,
      (spec) => ({ userIds: [spec.candidate] }),
    ),
  },
  'change the channel': {
    probes: 'PATCH /api/conversations/:id',
    allowed: manages,
    attempt: rest(
      'PATCH',
      (id) => `/api/conversations/${id}`,
      () => ({ archived: false }),
    ),
  },
  'remove a member': {
    probes: 'DELETE /api/conversations/:id/members/:userId',
    allowed: manages,
    attempt: async (world, actor, name, spec) => {
      // The candidate is put back first wherever an admin can, so that every allowed removal has someone to remove.
      if (spec.kind === 'channel') {
        const readded = await api(world.url, 'POST', `/api/admin/channels/${world.id[name]}/members`, {
          token: world.token['axiom-admin'],
          body: { userIds: [spec.candidate] },
        });
        expect(readded.status, JSON.stringify(readded.body)).toBe(200);
      }
      return rest('DELETE', (id) => `/api/conversations/${id}/members/${spec.candidate}`)(
        world,
        actor,
        name,
        spec,
      );
    },
  },
  join: {
    probes: 'POST /api/conversations/:id/join',
    allowed: (actor, spec) =>
      isMember(actor, spec) || (findable(actor, spec) && spec.policy?.visibility === 'public'),
    attempt: rest('POST', (id) => `/api/conversations/${id}/join`),
  },
  'open as a record thread': {
    allowed: (actor, spec) => spec.kind === 'record' && inScope(actor, spec),
    attempt: async (world, actor, name, spec) => {
      const opened = await api(world.url, 'POST', '/api/records/open', {
        token: world.token[actor.id],
        body: { type: 'order', id: recordId },
      });
      const admitted = outcome(opened, `open the record as ${actor.id}`);
      return admitted && spec.kind === 'record' && opened.body.conversation.id === world.id[name];
    },
  },
  'administer (archive flag)': {
    allowed: (actor, spec) => isParleyAdmin(actor) && spec.kind === 'channel',
    attempt: rest(
      'PATCH',
      (id) => `/api/admin/channels/${id}`,
      () => ({ archived: false }),
    ),
  },
  // Last: the actor is out of the conversation afterwards. Joining and opening the record made them members.
  leave: {
    probes: 'POST /api/conversations/:id/leave',
    allowed: (actor, spec) =>
      spec.kind !== 'direct' &&
      (isMember(actor, spec) ||
        (findable(actor, spec) && spec.policy?.visibility === 'public') ||
        ((spec.kind === 'record' || spec.kind === 'notes') && inScope(actor, spec))),
    attempt: rest('POST', (id) => `/api/conversations/${id}/leave`),
  },
};

/** The host declares the record for axiom and oracare; the thread's members open it. */
async function declareOrderRecord(world: World): Promise<void> {
  const key = await createHostKey(world.url, world.token['axiom-admin'] as string, ['records:write']);
  const declared = await api(world.url, 'PUT', `/api/records/order/${recordId}`, {
    token: key,
    body: { title: `Order ${recordId}`, orgIds: both, context: {} },
  });
  expect(declared.status).toBe(200);
  for (const member of conversations['order-thread']!.members) {
    const opened = await api(world.url, 'POST', '/api/records/open', {
      token: world.token[member],
      body: { type: 'order', id: recordId },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    world.id['order-thread'] = opened.body.conversation.id;
    if (opened.body.notes) world.id['order-notes'] = opened.body.notes.id;
  }
}

describe.each(drivers)('authorization matrix on %s', (driver) => {
  const parley = useTestServer(driver);
  const world: World = { url: '', token: {}, socket: {}, id: {}, received: {}, probe: {} };

  beforeAll(async () => {
    world.url = parley.url;
    for (const user of [...actors, ...bystanders]) {
      world.token[user.id] = (await knownPerson(world.url, user.id, { ...user, email: null })).token;
    }
    const asAdmin = world.token['axiom-admin'];
    await declareOrderRecord(world);
    for (const [name, spec] of Object.entries(conversations)) {
      if (spec.kind === 'record' || spec.kind === 'notes') continue;
      const creator = spec.kind === 'channel' ? creatorOf(spec) : (spec.members[0] as string);
      const others = spec.members.filter((id) => id !== creator);
      const body =
        spec.kind === 'channel'
          ? { kind: 'channel', name, memberIds: others, policy: spec.policy }
          : { kind: spec.kind, memberIds: others };
      const created = await api(world.url, 'POST', '/api/conversations', {
        token: world.token[creator],
        body,
      });
      expect(created.status, `${name}: ${JSON.stringify(created.body)}`).toBe(201);
      world.id[name] = created.body.conversation.id;
    }
    // Live delivery: each conversation's sender posts one probe, then a barrier in a channel everyone is in.
    // One node emits to each socket in order, so every probe an actor would get arrives before the barrier.
    const barrier = await api(world.url, 'POST', '/api/admin/channels', {
      token: asAdmin,
      body: {
        name: 'barrier',
        memberIds: actors.map((a) => a.id),
        policy: { orgIds: Object.keys(organizations), minRole: 'viewer', visibility: 'private' },
      },
    });
    expect(barrier.status).toBe(201);
    const barrierReached: Promise<void>[] = [];
    for (const actor of actors) {
      const socket = await connect(world.url, world.token[actor.id]);
      // A sync is answered only once the socket is in its conversations' rooms: no probe can pass it by.
      expect((await socket.emitWithAck('sync', { cursors: {} })).ok).toBe(true);
      world.socket[actor.id] = socket;
      world.received[actor.id] = new Set();
      barrierReached.push(
        new Promise((resolve) => {
          socket.on('message:new', ({ message }) => {
            if (message.conversationId === barrier.body.conversation.id) return resolve();
            const name = Object.keys(world.id).find((key) => world.id[key] === message.conversationId);
            if (name) world.received[actor.id]?.add(name);
          });
        }),
      );
    }
    const senders = Object.fromEntries(
      await Promise.all(
        [...new Set(Object.values(conversations).map((spec) => spec.sender))].map(
          async (id) => [id, await connect(world.url, world.token[id])] as const,
        ),
      ),
    );
    for (const [name, spec] of Object.entries(conversations)) {
      const ack = await sendOnSocket(senders[spec.sender]!, {
        conversationId: world.id[name] as string,
        body: `probe in ${name}`,
      });
      expect(ack.ok, name).toBe(true);
      if (ack.ok) world.probe[name] = ack.message.id;
    }
    await api(world.url, 'POST', `/api/conversations/${barrier.body.conversation.id}/messages`, {
      token: asAdmin,
      body: { clientMsgId: randomUUID(), body: 'barrier' },
    });
    await Promise.all(barrierReached);
    for (const socket of Object.values(senders)) socket.close();
  });

  afterAll(async () => {
    for (const socket of Object.values(world.socket)) socket.close();
  });

  for (const [actionName, action] of Object.entries(actions)) {
    it(`${actionName}: allowed exactly where the rules allow it`, async () => {
      const mismatches: string[] = [];
      for (const actor of actors) {
        for (const [name, spec] of Object.entries(conversations)) {
          const expected = action.allowed(actor, spec);
          const actual = await action.attempt(world, actor, name, spec);
          if (actual !== expected)
            mismatches.push(`${actor.id} on ${name}: expected ${expected ? 'allowed' : 'denied'}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('probes every route about one conversation', () => {
    const probed = new Set(Object.values(actions).map((action) => action.probes));
    const unprobed = restRoutes
      .filter((route) => route.auth === 'user' && route.path.startsWith('/api/conversations/:id'))
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => !probed.has(route));
    expect(unprobed).toEqual([]);
  });

  it('lets only internal admins use the administration API', async () => {
    for (const actor of actors) {
      const users = await api(world.url, 'GET', '/api/admin/users', { token: world.token[actor.id] });
      expect([users.status, actor.id]).toEqual([isParleyAdmin(actor) ? 200 : 403, actor.id]);
      const create = await api(world.url, 'POST', '/api/admin/channels', {
        token: world.token[actor.id],
        body: { name: `made-by-${actor.id}`, policy: { orgIds: ['axiom'] } },
      });
      expect([create.status, actor.id]).toEqual([isParleyAdmin(actor) ? 201 : 403, actor.id]);
    }
  });

  it('lets only internal staff above viewer create channels', async () => {
    for (const actor of actors) {
      const created = await api(world.url, 'POST', '/api/conversations', {
        token: world.token[actor.id],
        body: { kind: 'channel', name: `own-${actor.id}` },
      });
      const allowed = actor.orgKind === 'internal' && actor.role !== 'viewer';
      expect([created.status, actor.id]).toEqual([allowed ? 201 : 403, actor.id]);
    }
  });
});
