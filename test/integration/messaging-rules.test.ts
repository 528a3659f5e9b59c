// Who may talk to whom (src/server/domain/access/policy.ts): internal staff reach everyone, external users
// reach staff and their own colleagues, and two external organisations meet only when configured to.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelListing, User } from '../../src/protocol/models.ts';
import type { ParleyServer } from '../../src/server/app.ts';
import { axiom, knownPerson, northwind, oracare, type Person, storagesFor } from '../helpers/access.ts';
import { api } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { startTestServer, type TestStorage } from '../helpers/server.ts';

const drivers = testDrivers();
/** Starting PGlite servers takes seconds each, many more on a busy machine. */
const STARTUP_TIMEOUT_MS = 180_000;

const channelName = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

describe.each(drivers)('messaging rules on %s', (driver) => {
  let storage: TestStorage;
  let server: ParleyServer;
  /** For the server that lets external organisations meet. */
  let crossStorage: TestStorage;

  beforeAll(async () => {
    [storage, crossStorage] = (await storagesFor(driver, 2)) as [TestStorage, TestStorage];
    server = await startTestServer(storage);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await server?.close();
    await storage?.destroy();
    await crossStorage?.destroy();
  });

  const person = (label: string, org: typeof axiom, role: Person['role'] = 'member') =>
    knownPerson(server.url, label, { ...org, role });
  const startDirect = (from: Person, to: Person) =>
    api(server.url, 'POST', '/api/conversations', {
      token: from.token,
      body: { kind: 'direct', memberIds: [to.id] },
    });
  const createChannel = (creator: Person, body: object) =>
    api(server.url, 'POST', '/api/conversations', {
      token: creator.token,
      body: { kind: 'channel', ...body },
    });

  it('lets staff DM clients and vendors, and a client DM a colleague of the same client', async () => {
    const [staff, client, colleague, vendor] = [
      await person('staff', axiom),
      await person('client', oracare),
      await person('colleague', oracare),
      await person('vendor', northwind),
    ];
    for (const [from, to] of [
      [staff, client],
      [vendor, staff],
      [client, colleague],
    ] as const) {
      const started = await startDirect(from, to);
      expect(started.status, `${from.displayName} → ${to.displayName}`).toBe(201);
      expect(started.body.conversation.members.map((m: { id: string }) => m.id).sort()).toEqual(
        [from.id, to.id].sort(),
      );
    }
  });

  it('answers a DM between a client and a vendor with not_found, as if the other user did not exist', async () => {
    const [client, vendor] = [await person('client', oracare), await person('vendor', northwind)];
    const missing = await api(server.url, 'POST', '/api/conversations', {
      token: client.token,
      body: { kind: 'direct', memberIds: [`nobody-${randomUUID()}`] },
    });

    for (const [from, to] of [
      [client, vendor],
      [vendor, client],
    ] as const) {
      const refused = await startDirect(from, to);
      expect([refused.status, refused.body.error.code]).toEqual([404, 'not_found']);
      expect(refused.body.error.message).toBe(`unknown user: ${to.id}`);
    }
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
  });

  it('refuses a group that would put a client and a vendor together, whoever starts it', async () => {
    const [staff, client, vendor] = [
      await person('staff', axiom),
      await person('client', oracare),
      await person('vendor', northwind),
    ];
    // Staff see everyone, so the refusal is about the group: forbidden.
    const byStaff = await api(server.url, 'POST', '/api/conversations', {
      token: staff.token,
      body: { kind: 'group', memberIds: [client.id, vendor.id] },
    });
    expect([byStaff.status, byStaff.body.error.code]).toEqual([403, 'forbidden']);
    // The client cannot see the vendor at all: not_found.
    const byClient = await api(server.url, 'POST', '/api/conversations', {
      token: client.token,
      body: { kind: 'group', memberIds: [staff.id, vendor.id] },
    });
    expect([byClient.status, byClient.body.error.code]).toEqual([404, 'not_found']);
    const staffList = await api(server.url, 'GET', '/api/conversations', { token: staff.token });
    expect(staffList.body.conversations).toEqual([]);

    const allowed = await api(server.url, 'POST', '/api/conversations', {
      token: staff.token,
      body: { kind: 'group', memberIds: [client.id] },
    });
    expect(allowed.status).toBe(201);
    const addVendor = await api(
      server.url,
      'POST',
      `/api/conversations/${allowed.body.conversation.id}/members`,
      {
        token: staff.token,
        body: { userIds: [vendor.id] },
      },
    );
    expect([addVendor.status, addVendor.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('lists in the people picker only the users one may message', async () => {
    const [staff, client, colleague, vendor, vendorColleague] = [
      await person('staff', axiom),
      await person('client', oracare),
      await person('colleague', oracare),
      await person('vendor', northwind),
      await person('vendor-colleague', northwind),
    ];
    const picker = async (viewer: Person) =>
      (await api(server.url, 'GET', '/api/users', { token: viewer.token })).body.users as User[];

    const clientSees = await picker(client);
    expect(clientSees.map((u) => u.id)).toEqual(expect.arrayContaining([staff.id, colleague.id]));
    expect(clientSees.every((u) => u.orgKind === 'internal' || u.orgId === 'oracare')).toBe(true);
    expect(clientSees.map((u) => u.id)).not.toContain(vendor.id);
    expect(clientSees.map((u) => u.id)).not.toContain(client.id);

    const vendorSees = await picker(vendor);
    expect(vendorSees.map((u) => u.id)).toEqual(expect.arrayContaining([staff.id, vendorColleague.id]));
    expect(vendorSees.every((u) => u.orgKind === 'internal' || u.orgId === 'northwind')).toBe(true);

    const staffSees = (await picker(staff)).map((u) => u.id);
    expect(staffSees).toEqual(
      expect.arrayContaining([client.id, colleague.id, vendor.id, vendorColleague.id]),
    );
  });

  it('lets a viewer post in a channel they are in but not add members to it', async () => {
    const [staff, viewer, other] = [
      await person('staff', axiom),
      await person('viewer', axiom, 'viewer'),
      await person('other', axiom),
    ];
    const channel = await createChannel(staff, { name: channelName('viewers'), memberIds: [viewer.id] });
    expect(channel.status).toBe(201);
    const id = channel.body.conversation.id;

    const posted = await api(server.url, 'POST', `/api/conversations/${id}/messages`, {
      token: viewer.token,
      body: { clientMsgId: randomUUID(), body: 'reading along, and saying hi' },
    });
    expect(posted.status).toBe(201);
    const invite = await api(server.url, 'POST', `/api/conversations/${id}/members`, {
      token: viewer.token,
      body: { userIds: [other.id] },
    });
    expect([invite.status, invite.body.error.code]).toEqual([403, 'forbidden']);
    const byMember = await api(server.url, 'POST', `/api/conversations/${id}/members`, {
      token: staff.token,
      body: { userIds: [other.id] },
    });
    expect(byMember.body).toEqual({ added: [other.id] });
  });

  it('refuses channel creation to client and vendor users', async () => {
    const staff = await person('staff', axiom);
    for (const outsider of [await person('client', oracare, 'admin'), await person('vendor', northwind)]) {
      const refused = await createChannel(outsider, { name: channelName('external'), memberIds: [staff.id] });
      expect([refused.status, refused.body.error.code], outsider.displayName).toEqual([403, 'forbidden']);
    }
  });

  it('keeps a channel scoped to axiom and oracare closed to a northwind user', async () => {
    const [staff, client, vendor] = [
      await person('staff', axiom),
      await person('client', oracare),
      await person('vendor', northwind),
    ];
    const channel = await createChannel(staff, {
      name: channelName('scoped'),
      memberIds: [client.id],
      policy: { orgIds: ['axiom', 'oracare'] },
    });
    expect(channel.status).toBe(201);
    expect(channel.body.conversation.policy).toEqual({
      orgIds: ['axiom', 'oracare'],
      minRole: 'viewer',
      visibility: 'public',
    });
    // Staff can see the vendor, so the refusal is the channel's scope, not the vendor's invisibility.
    const added = await api(
      server.url,
      'POST',
      `/api/conversations/${channel.body.conversation.id}/members`,
      {
        token: staff.token,
        body: { userIds: [vendor.id] },
      },
    );
    expect([added.status, added.body.error.code]).toEqual([403, 'forbidden']);
    expect(added.body.error.message).toMatch(/outside this conversation's scope/);
    const joined = await api(server.url, 'POST', `/api/conversations/${channel.body.conversation.id}/join`, {
      token: vendor.token,
    });
    expect([joined.status, joined.body.error.code]).toEqual([404, 'not_found']);
  });

  it('stops sends to an archived channel with forbidden while its history still reads', async () => {
    const [admin, member] = [await person('admin', axiom, 'admin'), await person('member', oracare)];
    const channel = await api(server.url, 'POST', '/api/admin/channels', {
      token: admin.token,
      body: {
        name: channelName('archived'),
        memberIds: [member.id],
        policy: { orgIds: ['axiom', 'oracare'] },
      },
    });
    expect(channel.status).toBe(201);
    const id = channel.body.conversation.id;
    const before = await api(server.url, 'POST', `/api/conversations/${id}/messages`, {
      token: member.token,
      body: { clientMsgId: randomUUID(), body: 'last words' },
    });
    expect(before.status).toBe(201);

    const archived = await api(server.url, 'PATCH', `/api/admin/channels/${id}`, {
      token: admin.token,
      body: { archived: true },
    });
    expect(archived.status).toBe(200);
    expect(archived.body.channel.archivedAt).toEqual(expect.any(String));

    for (const user of [member, admin]) {
      const send = await api(server.url, 'POST', `/api/conversations/${id}/messages`, {
        token: user.token,
        body: { clientMsgId: randomUUID(), body: 'anyone there?' },
      });
      expect([send.status, send.body.error.code], user.displayName).toEqual([403, 'forbidden']);
    }
    const history = await api(server.url, 'GET', `/api/conversations/${id}/messages`, {
      token: member.token,
    });
    expect(history.status).toBe(200);
    expect(history.body.messages.map((m: { body: string }) => m.body)).toEqual(['last words']);
    // A non-member still gets not_found: archiving does not reveal the channel.
    const outsider = await person('outsider', axiom);
    const outsiderSend = await api(server.url, 'POST', `/api/conversations/${id}/messages`, {
      token: outsider.token,
      body: { clientMsgId: randomUUID(), body: 'hello?' },
    });
    expect([outsiderSend.status, outsiderSend.body.error.code]).toEqual([404, 'not_found']);
  });

  it('browses public channels in scope with isMember, and never private channels one is not in', async () => {
    const [admin, client] = [await person('admin', axiom, 'admin'), await person('client', oracare)];
    const adminChannel = async (label: string, policy: object, memberIds: string[] = []) => {
      const created = await api(server.url, 'POST', '/api/admin/channels', {
        token: admin.token,
        body: { name: channelName(label), memberIds, policy },
      });
      expect(created.status).toBe(201);
      return created.body.conversation.id as string;
    };
    const joinable = await adminChannel('public-open', {
      orgIds: ['axiom', 'oracare'],
      visibility: 'public',
    });
    const mine = await adminChannel('private-mine', { orgIds: ['axiom', 'oracare'], visibility: 'private' }, [
      client.id,
    ]);
    const secret = await adminChannel('private-other', {
      orgIds: ['axiom', 'oracare'],
      visibility: 'private',
    });
    const vendors = await adminChannel('public-vendors', {
      orgIds: ['axiom', 'northwind'],
      visibility: 'public',
    });
    const staffOnly = await adminChannel('public-members', {
      orgIds: ['axiom', 'oracare'],
      minRole: 'admin',
      visibility: 'public',
    });

    const { channels } = (await api(server.url, 'GET', '/api/channels', { token: client.token })).body as {
      channels: ChannelListing[];
    };
    const byId = new Map(channels.map((channel) => [channel.id, channel]));
    expect(byId.get(joinable)).toMatchObject({ isMember: false, policy: { visibility: 'public' } });
    expect(byId.get(mine)).toMatchObject({ isMember: true, policy: { visibility: 'private' } });
    for (const hidden of [secret, vendors, staffOnly]) expect(byId.has(hidden)).toBe(false);
    expect(
      channels.every(
        (c) => c.isMember || (c.policy.visibility === 'public' && c.policy.orgIds.includes('oracare')),
      ),
    ).toBe(true);

    const joined = await api(server.url, 'POST', `/api/conversations/${joinable}/join`, {
      token: client.token,
    });
    expect(joined.status).toBe(200);
    const hiddenJoin = await api(server.url, 'POST', `/api/conversations/${secret}/join`, {
      token: client.token,
    });
    expect([hiddenJoin.status, hiddenJoin.body.error.code]).toEqual([404, 'not_found']);
    const after = (await api(server.url, 'GET', '/api/channels', { token: client.token })).body
      .channels as ChannelListing[];
    expect(after.find((c) => c.id === joinable)?.isMember).toBe(true);
  });

  describe('with PARLEY_EXTERNAL_CROSS_ORG_MESSAGES=1', () => {
    let crossServer: ParleyServer;

    beforeAll(async () => {
      crossServer = await startTestServer(crossStorage, { env: { PARLEY_EXTERNAL_CROSS_ORG_MESSAGES: '1' } });
    }, STARTUP_TIMEOUT_MS);
    afterAll(async () => {
      await crossServer?.close();
    });

    it('lets a client and a vendor DM each other and see each other in the people picker', async () => {
      const client = await knownPerson(crossServer.url, 'client', oracare);
      const vendor = await knownPerson(crossServer.url, 'vendor', northwind);
      const started = await api(crossServer.url, 'POST', '/api/conversations', {
        token: client.token,
        body: { kind: 'direct', memberIds: [vendor.id] },
      });
      expect(started.status).toBe(201);
      const sent = await api(
        crossServer.url,
        'POST',
        `/api/conversations/${started.body.conversation.id}/messages`,
        {
          token: vendor.token,
          body: { clientMsgId: randomUUID(), body: 'lot L-2291 ships Thursday' },
        },
      );
      expect(sent.status).toBe(201);
      const picker = (await api(crossServer.url, 'GET', '/api/users', { token: client.token })).body
        .users as User[];
      expect(picker.map((u) => u.id)).toContain(vendor.id);
    });
  });
});
