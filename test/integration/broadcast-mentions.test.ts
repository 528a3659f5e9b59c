// `@channel` and `@here`: a mention of everyone in a conversation, or of everyone active now, for those its
// rules allow, counted apart like any mention, and limited per user per hour. Both drivers.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acme, knownPerson, type Person, type PersonDetails } from '../helpers/access.ts';
import { api } from '../helpers/clients.ts';
import { startConversation } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { useTestServer } from '../helpers/test-server.ts';

const BROADCASTS_PER_HOUR = 4;

describe.each(testDrivers())('mentions of everyone on %s', (driver) => {
  const parley = useTestServer(driver, {
    env: { PARLEY_RATE_BROADCASTS_PER_HOUR: String(BROADCASTS_PER_HOUR) },
  });
  const person = (label: string, details: PersonDetails = acme) => knownPerson(parley.url, label, details);
  const call = (by: Person, method: string, path: string, body?: unknown) =>
    api(parley.url, method, path, { token: by.token, body });
  const send = (by: Person, conversationId: string, broadcast: 'channel' | 'here') =>
    call(by, 'POST', `/api/conversations/${conversationId}/messages`, {
      clientMsgId: randomUUID(),
      body: `@${broadcast} stand-up in five`,
      broadcast,
    });
  const mentionsOf = async (by: Person) => (await call(by, 'GET', '/api/me/unread')).body.mentionCount;
  const channelOf = async (creator: Person, ...members: Person[]) =>
    (
      await startConversation(parley.url, creator, {
        kind: 'channel',
        name: `team-${randomUUID().slice(0, 6)}`,
        memberIds: members.map((member) => member.id),
      })
    ).id;

  it('@channel mentions every member but the sender, online or not; @here only those active now', async () => {
    const [lead, ana, ben] = [await person('lead'), await person('ana'), await person('ben')];
    const channel = await channelOf(lead, ana, ben);
    const anaSocket = await parley.open(ana.token);

    const everyone = await send(lead, channel, 'channel');
    expect(everyone.status, JSON.stringify(everyone.body)).toBe(201);
    expect(everyone.body.message.mentions).toEqual([ana.id, ben.id].sort());
    expect([await mentionsOf(ana), await mentionsOf(ben), await mentionsOf(lead)]).toEqual([1, 1, 0]);

    const here = await send(lead, channel, 'here');
    expect(here.body.message.mentions).toEqual([ana.id]);
    expect([await mentionsOf(ana), await mentionsOf(ben)]).toEqual([2, 1]);
    anaSocket.close();
  });

  it('is refused to viewers, in direct conversations, where the channel allows nobody or only its managers', async () => {
    const lead = await person('lead');
    const [ana, vic] = [await person('ana'), await person('vic', { ...acme, role: 'viewer' })];
    const channel = await channelOf(lead, ana, vic);
    const dm = (await startConversation(parley.url, ana, { kind: 'direct', memberIds: [lead.id] })).id;

    expect((await send(vic, channel, 'channel')).body.error.code).toBe('forbidden');
    expect((await send(ana, dm, 'here')).body.error.code).toBe('forbidden');
    expect((await send(await person('cy'), channel, 'channel')).body.error.code).toBe('not_found');
    const members = async (by: Person) =>
      (await call(by, 'GET', `/api/conversations/${channel}/members`)).body;
    expect(await members(ana)).toMatchObject({ broadcastMentions: 'members', mayMentionEveryone: true });
    expect(await members(vic)).toMatchObject({ mayMentionEveryone: false });

    expect(
      (await call(ana, 'PATCH', `/api/conversations/${channel}`, { broadcastMentions: 'nobody' })).status,
    ).toBe(403);
    expect(
      (await call(lead, 'PATCH', `/api/conversations/${channel}`, { broadcastMentions: 'managers' })).status,
    ).toBe(200);
    expect((await send(ana, channel, 'channel')).body.error.code).toBe('forbidden');
    expect(await members(ana)).toMatchObject({ broadcastMentions: 'managers', mayMentionEveryone: false });
    expect((await send(lead, channel, 'channel')).status).toBe(201);
    await call(lead, 'PATCH', `/api/conversations/${channel}`, { broadcastMentions: 'nobody' });
    expect((await send(lead, channel, 'channel')).body.error.code).toBe('forbidden');
    expect(
      (await call(lead, 'PATCH', `/api/conversations/${channel}`, { broadcastMentions: 'all' })).status,
    ).toBe(400);
  });

  it(`allows a user ${BROADCASTS_PER_HOUR} mentions of everyone an hour, then refuses with when to retry`, async () => {
    const [lead, ana] = [await person('lead'), await person('ana')];
    const group = (await startConversation(parley.url, lead, { kind: 'group', memberIds: [ana.id] })).id;
    for (let i = 0; i < BROADCASTS_PER_HOUR; i++)
      expect((await send(lead, group, 'channel')).status).toBe(201);
    const refused = await send(lead, group, 'here');
    expect([refused.status, refused.body.error.code]).toEqual([429, 'rate_limited']);
    expect(refused.body.error.retryAfterMs).toBeGreaterThan(0);
  });
});
