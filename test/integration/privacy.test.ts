// What people write stays out of the logs at every level, and API-key bots, which post host events into
// record threads, are never offered or reachable as people.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { axiom, createHostKey, knownPerson, oracare, type Person } from '../helpers/access.ts';
import { api } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { useTestServer } from '../helpers/test-server.ts';

const drivers = testDrivers();

describe.each(drivers)('privacy on %s', (driver) => {
  const logLines: string[] = [];
  const parley = useTestServer(driver, {
    env: { LOG_LEVEL: 'trace' },
    logStream: { write: (line) => void logLines.push(line) },
  });
  let admin: Person;
  let client: Person;
  let hostKey: string;

  beforeAll(async () => {
    admin = await knownPerson(parley.url, 'admin', { ...axiom, role: 'admin' });
    client = await knownPerson(parley.url, 'client', { ...oracare });
    hostKey = await createHostKey(parley.url, admin.token);
  });

  it('keeps search terms, message bodies and record details out of the log even at trace level', async () => {
    const secretWords = ['quokka-offer-77', 'wombat-margin-12', 'platypus-customer'];
    const dm = await api(parley.url, 'POST', '/api/conversations', {
      token: admin.token,
      body: { kind: 'direct', memberIds: [client.id] },
    });
    const conversationId: string = dm.body.conversation.id;
    await api(parley.url, 'POST', `/api/conversations/${conversationId}/messages`, {
      token: admin.token,
      body: { clientMsgId: randomUUID(), body: `Our best price: ${secretWords[0]}` },
    });
    const socket = await parley.open(client.token);
    const ack = await socket.emitWithAck('message:send', {
      conversationId,
      clientMsgId: randomUUID(),
      body: `Counter-offer ${secretWords[1]}`,
    });
    socket.close();
    expect(ack).toMatchObject({ ok: true });
    await api(parley.url, 'PUT', `/api/records/order/${randomUUID().slice(0, 8)}`, {
      token: hostKey,
      body: { title: `Order for ${secretWords[2]}`, orgIds: ['axiom'] },
    });
    for (const word of secretWords) {
      const search = await api(parley.url, 'GET', `/api/search?q=${encodeURIComponent(word)}&limit=5`, {
        token: admin.token,
      });
      expect(search.status).toBe(200);
    }
    const garbled = await api(parley.url, 'GET', `/api/search?q=${secretWords[0]}&limit=oops`, {
      token: admin.token,
    });
    expect(garbled.status).toBe(400);

    const log = logLines.join('');
    expect(log).toContain('"url":"/api/search?q&limit"');
    for (const word of secretWords) expect(log).not.toContain(word);
  });

  it('never offers an API-key bot in the people picker, as a DM target or as a group member', async () => {
    const orderId = randomUUID().slice(0, 8);
    await api(parley.url, 'PUT', `/api/records/order/${orderId}`, {
      token: hostKey,
      body: { title: 'Order', orgIds: ['axiom'] },
    });
    const posted = await api(parley.url, 'POST', `/api/records/order/${orderId}/messages`, {
      token: hostKey,
      body: { body: 'Order packed.' },
    });
    const botId: string = posted.body.message.senderId;
    expect(botId).toMatch(/^apikey:/);

    const picker = await api(parley.url, 'GET', '/api/users', { token: admin.token });
    expect(picker.status).toBe(200);
    expect(picker.body.users.map((user: { id: string }) => user.id)).not.toContain(botId);
    expect(picker.body.users.map((user: { id: string }) => user.id)).toContain(client.id);
    for (const body of [
      { kind: 'direct', memberIds: [botId] },
      { kind: 'group', memberIds: [client.id, botId] },
    ]) {
      const started = await api(parley.url, 'POST', '/api/conversations', { token: admin.token, body });
      expect(started.status, body.kind).toBe(404);
      expect(started.body.error).toMatchObject({ code: 'not_found' });
    }
  });
});
