// Staff run their channels from inside them: the creator (or an internal admin) renames, re-scopes, archives
// and removes members; every member sees who is in it; nobody is admitted whom the policy refuses; and each
// change reaches open sockets live.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { RefusalError } from '../../src/client/index.ts';
import { axiom, knownPerson, northwind, oracare, type Person, request, tokenFor } from '../helpers/access.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { nextEvent } from '../helpers/events.ts';
import { connected, until } from '../helpers/sdk.ts';
import { useTestServer } from '../helpers/test-server.ts';

describe.each(testDrivers())('channel management by its members on %s', (driver) => {
  const parley = useTestServer(driver);
  let ada: Person; // internal admin
  let sam: Person; // internal member, creates the channels
  let tom: Person; // internal member
  let vic: Person; // internal viewer
  let cleo: Person; // client member
  let omar: Person; // client member
  let nora: Person; // vendor member

  beforeAll(async () => {
    ada = await knownPerson(parley.url, 'ada', { ...axiom, role: 'admin' });
    sam = await knownPerson(parley.url, 'sam', axiom);
    tom = await knownPerson(parley.url, 'tom', axiom);
    vic = await knownPerson(parley.url, 'vic', { ...axiom, role: 'viewer' });
    cleo = await knownPerson(parley.url, 'cleo', oracare);
    omar = await knownPerson(parley.url, 'omar', oracare);
    nora = await knownPerson(parley.url, 'nora', northwind);
  });

  const call = (by: Person, method: string, path: string, body?: object) =>
    request(parley.url, method, path, { token: by.token, body });
  /** A channel `sam` creates for axiom and oracare with everyone in it but the vendor. */
  const samsChannel = async (visibility: 'public' | 'private' = 'public') => {
    const created = await call(sam, 'POST', '/api/conversations', {
      kind: 'channel',
      name: `launch-${randomUUID().slice(0, 8)}`,
      memberIds: [ada.id, tom.id, vic.id, cleo.id, omar.id],
      policy: { orgIds: ['axiom', 'oracare'], visibility },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.conversation.id as string;
  };
  const members = async (by: Person, id: string) => {
    const answer = await call(by, 'GET', `/api/conversations/${id}/members`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };

  it('lists the members with organisation and role, and what the asker may do, to members only', async () => {
    const id = await samsChannel();
    const asSam = await members(sam, id);
    expect(asSam.createdBy).toBe(sam.id);
    const ids = (list: { id: string }[]) => list.map((p) => p.id).sort();
    expect(ids(asSam.members)).toEqual(ids([sam, ada, tom, vic, cleo, omar]));
    expect(asSam.members.find((m: { id: string }) => m.id === cleo.id)).toEqual({
      id: cleo.id,
      displayName: 'cleo',
      orgId: 'oracare',
      orgKind: 'client',
      role: 'member',
    });
    const rights = async (person: Person) => {
      const { mayManage, mayInvite } = await members(person, id);
      return { mayManage, mayInvite };
    };
    expect(await rights(sam)).toEqual({ mayManage: true, mayInvite: true });
    expect(await rights(ada)).toEqual({ mayManage: true, mayInvite: true });
    expect(await rights(tom)).toEqual({ mayManage: false, mayInvite: true });
    expect(await rights(vic)).toEqual({ mayManage: false, mayInvite: false });
    expect(await rights(cleo)).toEqual({ mayManage: false, mayInvite: true });
    const outsider = await call(nora, 'GET', `/api/conversations/${id}/members`);
    expect([outsider.status, outsider.body.error.code]).toEqual([404, 'not_found']);
    const group = await call(sam, 'POST', '/api/conversations', {
      kind: 'group',
      memberIds: [tom.id, cleo.id],
    });
    const ofGroup = await call(sam, 'GET', `/api/conversations/${group.body.conversation.id}/members`);
    expect([ofGroup.status, ofGroup.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('lets the creator rename it, and every member sees the new name live', async () => {
    const id = await samsChannel();
    const cleoSocket = await parley.open(cleo.token);
    await cleoSocket.emitWithAck('sync', { cursors: {} });
    const renamed = nextEvent(cleoSocket, 'conversation:updated', (p) => p.conversation.id === id);
    const answer = await call(sam, 'PATCH', `/api/conversations/${id}`, { name: '#Launch-Week' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.channel).toMatchObject({ id, name: 'launch-week', isMember: true });
    expect((await renamed).payload.conversation.name).toBe('launch-week');
    const again = await samsChannel();
    const taken = await call(sam, 'PATCH', `/api/conversations/${again}`, { name: 'launch-week' });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'name_taken']);
    const empty = await call(sam, 'PATCH', `/api/conversations/${again}`, {});
    expect([empty.status, empty.body.error.code]).toEqual([400, 'invalid_payload']);
  });

  it('refuses changes from members who did not create it, unless they are internal admins', async () => {
    const id = await samsChannel();
    for (const person of [tom, vic, cleo]) {
      const answer = await call(person, 'PATCH', `/api/conversations/${id}`, { name: `by-${person.id}` });
      expect([answer.status, answer.body.error.code], person.id).toEqual([403, 'forbidden']);
    }
    const outsider = await call(nora, 'PATCH', `/api/conversations/${id}`, { name: 'by-nora' });
    expect([outsider.status, outsider.body.error.code]).toEqual([404, 'not_found']);
    const byAdmin = await call(ada, 'PATCH', `/api/conversations/${id}`, {
      name: `by-ada-${id.slice(0, 6)}`,
    });
    expect(byAdmin.status, JSON.stringify(byAdmin.body)).toBe(200);
    // A creator demoted to viewer no longer runs the channel.
    const dan = await knownPerson(parley.url, 'dan', axiom);
    const created = await call(dan, 'POST', '/api/conversations', { kind: 'channel', name: `dan-${id}` });
    const dansChannel = created.body.conversation.id;
    expect((await call(dan, 'PATCH', `/api/conversations/${dansChannel}`, { archived: true })).status).toBe(
      200,
    );
    const demoted = { ...dan, token: await tokenFor(dan, { role: 'viewer' }) };
    const byDemoted = await call(demoted, 'PATCH', `/api/conversations/${dansChannel}`, { archived: false });
    expect([byDemoted.status, byDemoted.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('archives: history stays readable, sends and invitations stop, until it is unarchived', async () => {
    const id = await samsChannel();
    const say = (by: Person) =>
      call(by, 'POST', `/api/conversations/${id}/messages`, { clientMsgId: randomUUID(), body: 'hello' });
    expect((await say(cleo)).status).toBe(201);
    const cleoSocket = await parley.open(cleo.token);
    await cleoSocket.emitWithAck('sync', { cursors: {} });
    const archivedLive = nextEvent(
      cleoSocket,
      'conversation:updated',
      (p) => p.conversation.archivedAt !== null,
    );
    expect((await call(sam, 'PATCH', `/api/conversations/${id}`, { archived: true })).status).toBe(200);
    expect((await archivedLive).payload.conversation.id).toBe(id);
    const refused = await say(cleo);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    const history = await call(cleo, 'GET', `/api/conversations/${id}/messages`);
    expect(history.body.messages.map((m: { body: string }) => m.body)).toEqual(['hello']);
    expect((await members(sam, id)).mayInvite).toBe(false);
    const other = await knownPerson(parley.url, 'ines', oracare);
    const invite = await call(sam, 'POST', `/api/conversations/${id}/members`, { userIds: [other.id] });
    expect([invite.status, invite.body.error.code]).toEqual([403, 'forbidden']);
    expect((await call(sam, 'PATCH', `/api/conversations/${id}`, { archived: false })).status).toBe(200);
    expect((await say(cleo)).status).toBe(201);
  });

  it('removes members live; members may remove only themselves', async () => {
    const id = await samsChannel();
    const omarSocket = await parley.open(omar.token);
    await omarSocket.emitWithAck('sync', { cursors: {} });
    const refused = await call(tom, 'DELETE', `/api/conversations/${id}/members/${omar.id}`);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    const left = nextEvent(omarSocket, 'conversation:left', (p) => p.conversationId === id);
    expect((await call(sam, 'DELETE', `/api/conversations/${id}/members/${omar.id}`)).status).toBe(204);
    await left;
    expect((await call(omar, 'GET', `/api/conversations/${id}`)).status).toBe(404);
    const again = await call(sam, 'DELETE', `/api/conversations/${id}/members/${omar.id}`);
    expect([again.status, again.body.error.code]).toEqual([404, 'not_found']);
    expect((await call(cleo, 'DELETE', `/api/conversations/${id}/members/${cleo.id}`)).status).toBe(204);
    const remaining = (await members(sam, id)).members.map((m: { id: string }) => m.id).sort();
    expect(remaining).toEqual([sam, ada, tom, vic].map((p) => p.id).sort());
  });

  it('admits nobody the policy refuses, and narrowing it removes those it leaves out', async () => {
    const id = await samsChannel();
    const invite = await call(sam, 'POST', `/api/conversations/${id}/members`, { userIds: [nora.id] });
    expect([invite.status, invite.body.error.code]).toEqual([403, 'forbidden']);
    const selfOut = await call(sam, 'PATCH', `/api/conversations/${id}`, { policy: { minRole: 'admin' } });
    expect([selfOut.status, selfOut.body.error.code]).toEqual([403, 'forbidden']);
    const cleoSocket = await parley.open(cleo.token);
    await cleoSocket.emitWithAck('sync', { cursors: {} });
    const left = nextEvent(cleoSocket, 'conversation:left', (p) => p.conversationId === id);
    const narrowed = await call(sam, 'PATCH', `/api/conversations/${id}`, {
      policy: { orgIds: ['axiom'], visibility: 'private' },
    });
    expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(200);
    expect(narrowed.body.channel.policy).toEqual({
      orgIds: ['axiom'],
      minRole: 'viewer',
      visibility: 'private',
    });
    await left;
    expect((await members(sam, id)).members.map((m: { orgId: string }) => m.orgId)).toEqual([
      'axiom',
      'axiom',
      'axiom',
      'axiom',
    ]);
    // Private: out of the channel browser for everyone who is not in it, staff included.
    const outsider = await knownPerson(parley.url, 'una', axiom);
    const browsed = await call(outsider, 'GET', '/api/channels');
    expect(browsed.body.channels.some((c: { id: string }) => c.id === id)).toBe(false);
    expect((await call(outsider, 'POST', `/api/conversations/${id}/join`)).status).toBe(404);
  });

  it('runs a channel through the SDK, whose other members follow live, and throws refusals as RefusalError', async () => {
    const staff = await connected(parley.sdk(sam.token));
    const client = await connected(parley.sdk(cleo.token));
    const manage = staff.channelManagement;
    const channel = await manage.createChannel({
      name: `sdk-${randomUUID().slice(0, 8)}`,
      memberIds: [cleo.id],
      policy: { visibility: 'private' },
    });
    expect(staff.conversations.some((c) => c.id === channel.id)).toBe(true);
    await until(client, () => client.conversations.some((c) => c.id === channel.id), 5_000, 'cleo sees it');
    await manage.rename(channel.id, 'sdk-renamed');
    await until(
      client,
      () => client.conversations.find((c) => c.id === channel.id)?.name === 'sdk-renamed',
      5_000,
      'renamed',
    );
    expect(await manage.addMembers(channel.id, [omar.id])).toEqual([omar.id]);
    const listed = await client.channelManagement.members(channel.id);
    expect([listed.mayManage, listed.members.length]).toEqual([false, 3]);
    const refusal = await client.channelManagement.archive(channel.id).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RefusalError);
    expect((refusal as RefusalError).code).toBe('forbidden');
    await manage.removeMember(channel.id, omar.id);
    await manage.archive(channel.id);
    await until(
      client,
      () => client.conversations.find((c) => c.id === channel.id)?.archivedAt != null,
      5_000,
      'archived',
    );
    await client.channelManagement.leave(channel.id);
    await until(client, () => !client.conversations.some((c) => c.id === channel.id), 5_000, 'cleo left');
    expect((await manage.members(channel.id)).members.map((m) => m.id)).toEqual([sam.id]);
  });
});
