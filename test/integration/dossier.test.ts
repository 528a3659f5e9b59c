// Record dossiers: one record's thread exported as JSON or printable HTML for the audience that asks — a
// signed-in user gets what they are a member of, a host back-end gets the organisation it names — and never
// an internal note, a deleted message's words or a script that audience should not get.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createParleyClient } from '../../src/client/client.ts';
import type { Dossier } from '../../src/protocol/dossier.ts';
import { axiom, knownPerson, northwind, oracare } from '../helpers/access.ts';
import { upload } from '../helpers/attachments.ts';
import { api } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { useTestServer } from '../helpers/test-server.ts';

const drivers = testDrivers();
const orgs = {
  axiom: { ...axiom, orgName: 'Axiom Fulfillment' },
  oracare: { ...oracare, orgName: 'Oracare' },
  northwind: { ...northwind, orgName: 'Northwind Manufacturing' },
};
const XSS = '<img src=x onerror=alert(1)>';

describe.each(drivers)('record dossiers on %s', (driver) => {
  const parley = useTestServer(driver);
  let adminToken: string;
  let hostKey: string;

  const person = (orgId: keyof typeof orgs, role: 'admin' | 'member' = 'member') =>
    knownPerson(parley.url, orgId, { ...orgs[orgId], role, displayName: `${orgId} ${role}`, email: null });
  const newKey = async (scopes: string[]) => {
    const created = await api(parley.url, 'POST', '/api/admin/api-keys', {
      token: adminToken,
      body: { name: 'Order system', scopes },
    });
    expect(created.status).toBe(201);
    return created.body as { key: string; apiKey: { id: string } };
  };
  const say = async (token: string, conversationId: string, body: string, attachmentIds: string[] = []) => {
    const sent = await api(parley.url, 'POST', `/api/conversations/${conversationId}/messages`, {
      token,
      body: { clientMsgId: randomUUID(), body, attachmentIds },
    });
    expect(sent.status).toBe(201);
    return sent.body.message as { id: string };
  };
  const exportAs = (token: string, orderId: string, query: string) =>
    fetch(`${parley.url}/api/records/order/${orderId}/dossier?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  const dossierOf = async (token: string, orderId: string, query = 'format=json') => {
    const response = await exportAs(token, orderId, query);
    expect(response.status).toBe(200);
    return (await response.json()) as Dossier;
  };
  const bodies = (dossier: Dossier) => dossier.entries.map((entry) => entry.body);

  /** An order both organisations talk about, with a host event, an internal note and a deleted message. */
  const orderWithHistory = async () => {
    const orderId = String(Math.floor(Math.random() * 1e9));
    const declared = await api(parley.url, 'PUT', `/api/records/order/${orderId}`, {
      token: hostKey,
      body: {
        title: `Order #${orderId} ${XSS}`,
        url: 'https://dash.example.com/orders',
        context: { Status: 'packed', Customer: `Leeds ${XSS}` },
        orgIds: ['axiom', 'oracare'],
      },
    });
    expect(declared.status).toBe(200);
    const staff = await person('axiom');
    const client = await person('oracare');
    const openedByStaff = await api(parley.url, 'POST', '/api/records/open', {
      token: staff.token,
      body: { type: 'order', id: orderId },
    });
    await api(parley.url, 'POST', '/api/records/open', {
      token: client.token,
      body: { type: 'order', id: orderId },
    });
    const threadId: string = openedByStaff.body.conversation.id;
    const notesId: string = openedByStaff.body.notes.id;
    await say(client.token, threadId, 'Can you confirm the ship date?');
    await say(staff.token, notesId, 'Internal: the client is late paying, hold the pallet.');
    await say(staff.token, threadId, 'It ships on Thursday.');
    await api(parley.url, 'POST', `/api/records/order/${orderId}/messages`, {
      token: hostKey,
      body: { body: `Order #${orderId} shipped — UPS 1Z999` },
    });
    await say(client.token, threadId, XSS);
    const slip = await upload(parley.url, staff, threadId, {
      bytes: 'SKU-AB-12 x 40',
      name: 'packing slip.txt',
    });
    await say(staff.token, threadId, 'Packing slip attached', [slip.body.attachment.id]);
    const address = await upload(parley.url, client, threadId, { bytes: '12 Elm Row', name: 'Elm Row.txt' });
    const regretted = await say(client.token, threadId, 'Please send it to my home address, 12 Elm Row.', [
      address.body.attachment.id,
    ]);
    const deleted = await api(parley.url, 'DELETE', `/api/messages/${regretted.id}`, { token: client.token });
    expect(deleted.status).toBe(200);
    return { orderId, staff, client, threadId, notesId };
  };

  beforeAll(async () => {
    adminToken = (await person('axiom', 'admin')).token;
    hostKey = (await newKey(['records:write', 'records:post', 'records:read'])).key;
  });

  it("a client user's export holds the thread's messages and events but none of the internal notes", async () => {
    const { orderId, client } = await orderWithHistory();
    const dossier = await dossierOf(client.token, orderId);

    expect(dossier.record).toMatchObject({ type: 'order', id: orderId, context: { Status: 'packed' } });
    expect(dossier.audience).toEqual({ id: 'oracare', name: 'Oracare' });
    expect(dossier.exportedBy).toEqual({ kind: 'user', id: client.id, name: 'oracare member' });
    expect(bodies(dossier)).toEqual([
      'Can you confirm the ship date?',
      'It ships on Thursday.',
      `Order #${orderId} shipped — UPS 1Z999`,
      XSS,
      'Packing slip attached',
      null,
    ]);
    expect(dossier.entries.map((entry) => entry.kind)).toEqual([
      'message',
      'message',
      'event',
      'message',
      'message',
      'message',
    ]);
    expect(dossier.entries[0]?.sender.organization).toEqual({ id: 'oracare', name: 'Oracare' });
    expect(dossier.entries.every((entry) => entry.internalNote === null)).toBe(true);
    expect(JSON.stringify(dossier)).not.toContain('late paying');
  });

  it("an internal user's export holds their organisation's notes in time order, marked as notes", async () => {
    const { orderId, staff, notesId } = await orderWithHistory();
    const dossier = await dossierOf(staff.token, orderId);

    expect(bodies(dossier).slice(0, 3)).toEqual([
      'Can you confirm the ship date?',
      'Internal: the client is late paying, hold the pallet.',
      'It ships on Thursday.',
    ]);
    expect(dossier.entries[1]).toMatchObject({
      conversationId: notesId,
      internalNote: { id: 'axiom', name: 'Axiom Fulfillment' },
    });
    expect(dossier.entries.filter((entry) => entry.internalNote !== null)).toHaveLength(1);
    const times = dossier.entries.map((entry) => entry.createdAt);
    expect(times).toEqual([...times].sort());
  });

  it('a host back-end exports exactly what the organisation it names sees, and must name one', async () => {
    const { orderId, client, staff } = await orderWithHistory();
    const forClient = await dossierOf(hostKey, orderId, 'format=json&org=oracare');
    const clientView = await dossierOf(client.token, orderId);
    expect(forClient.entries).toEqual(clientView.entries);
    expect(forClient.audience).toEqual(clientView.audience);
    expect(forClient.exportedBy).toMatchObject({ kind: 'api_key', name: 'Order system' });

    const forStaff = await dossierOf(hostKey, orderId, 'org=axiom');
    expect(forStaff.entries).toEqual((await dossierOf(staff.token, orderId)).entries);

    const unnamed = await exportAs(hostKey, orderId, 'format=json');
    expect([unnamed.status, ((await unnamed.json()) as any).error.code]).toEqual([400, 'invalid_payload']);
    expect((await exportAs(hostKey, orderId, 'org=northwind')).status).toBe(404);
    expect((await exportAs(hostKey, `${orderId}0`, 'org=oracare')).status).toBe(404);
  });

  it('refuses a host back-end without the records:read scope, and a revoked key at once', async () => {
    const { orderId } = await orderWithHistory();
    const writer = await newKey(['records:write', 'records:post']);
    const refused = await exportAs(writer.key, orderId, 'org=oracare');
    expect([refused.status, ((await refused.json()) as any).error.code]).toEqual([403, 'forbidden']);

    const reader = await newKey(['records:read']);
    expect((await exportAs(reader.key, orderId, 'org=oracare')).status).toBe(200);
    const revoked = await fetch(`${parley.url}/api/admin/api-keys/${reader.apiKey.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(revoked.status).toBe(204);
    expect((await exportAs(reader.key, orderId, 'org=oracare')).status).toBe(401);
  });

  it('answers 404 to a user who is not a member of the thread, as if the record did not exist', async () => {
    const { orderId } = await orderWithHistory();
    const colleagueWhoNeverOpened = await person('oracare');
    const vendor = await person('northwind');
    const answers = await Promise.all([
      exportAs(colleagueWhoNeverOpened.token, orderId, 'format=json'),
      exportAs(vendor.token, orderId, 'format=html'),
      exportAs(vendor.token, `${orderId}0`, 'format=json'),
    ]);
    const bodiesOf = await Promise.all(answers.map((answer) => answer.json()));
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404]);
    expect(new Set(bodiesOf.map((body) => JSON.stringify(body))).size).toBe(1);
    expect((await exportAs('not-a-token', orderId, 'format=json')).status).toBe(401);
  });

  it('renders a printable HTML page that escapes every piece of user text and runs nothing', async () => {
    const { orderId, staff } = await orderWithHistory();
    const response = await exportAs(staff.token, orderId, 'format=html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename="order-${orderId}-dossier.html"`,
    );
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();

    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('@media print');
    expect(html).toContain('href="https://dash.example.com/orders"');
    expect(html).toContain('Internal note — only Axiom Fulfillment sees this');
    expect(html).toContain('class="entry event"');
    expect(html).toContain('Attachments: none');
    expect(html).not.toMatch(/(src|href)="(?!https:\/\/dash\.example\.com)/);
  });

  it('links back to the record only over http or https, even for a link stored before URLs were checked', async () => {
    const { orderId, client } = await orderWithHistory();
    await parley.server.db.query(
      `update records set url = 'javascript:alert(1)' where type = 'order' and id = $1`,
      [orderId],
    );
    const html = await (await exportAs(client.token, orderId, 'format=html')).text();
    expect(html).not.toContain('href=');
    expect(html).not.toContain('javascript:');
  });

  it('lists the files messages carry, in the entries and all together, in both formats', async () => {
    const { orderId, client } = await orderWithHistory();
    const dossier = (await (await exportAs(client.token, orderId, 'format=json')).json()) as Dossier;
    const carrier = dossier.entries.find((entry) => entry.body === 'Packing slip attached');
    expect(carrier?.attachments).toMatchObject([{ name: 'packing slip.txt', contentType: 'text/plain' }]);
    expect(dossier.attachments).toEqual([{ ...carrier?.attachments[0], messageId: carrier?.id }]);
    const html = await (await exportAs(client.token, orderId, 'format=html')).text();
    expect(html).toContain('packing slip.txt');
  });

  it("leaves a deleted message's words and files out of both formats", async () => {
    const { orderId, client } = await orderWithHistory();
    const json = await exportAs(client.token, orderId, 'format=json');
    expect(json.headers.get('content-disposition')).toBe(
      `attachment; filename="order-${orderId}-dossier.json"`,
    );
    const dossier = (await json.json()) as Dossier;
    expect(dossier.entries.at(-1)).toMatchObject({
      body: null,
      deletedAt: expect.any(String),
      attachments: [],
    });
    expect(JSON.stringify(dossier)).not.toContain('Elm Row');
    const html = await (await exportAs(client.token, orderId, 'format=html')).text();
    expect(html).toContain('message deleted');
    expect(html).not.toContain('Elm Row');
  });

  it('exports a 10 000-message thread whole and in order', async () => {
    const { orderId, threadId, staff } = await orderWithHistory();
    const [{ last_seq: before } = { last_seq: 0 }] = await parley.server.db.query<{ last_seq: number }>(
      'select last_seq from conversations where id = $1',
      [threadId],
    );
    await parley.server.db.query(
      `insert into messages (conversation_id, seq, sender_id, client_msg_id, body)
       select $1, $3::int + g, $2, 'bulk-' || $1 || '-' || g, 'bulk ' || g from generate_series(1, 10000) g`,
      [threadId, staff.id, before],
    );
    await parley.server.db.query('update conversations set last_seq = last_seq + 10000 where id = $1', [
      threadId,
    ]);

    const dossier = await dossierOf(staff.token, orderId);
    const thread = dossier.entries.filter((entry) => entry.conversationId === threadId);
    // The delete in the history took a seq of its own, which is a change and no line of the dossier.
    expect(thread).toHaveLength(before - 1 + 10_000);
    const seqs = thread.map((entry) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(thread.at(-1)?.body).toBe('bulk 10000');
  });

  it('the client SDK exports the dossier as JSON or as the HTML page', async () => {
    const { orderId, client } = await orderWithHistory();
    const sdk = createParleyClient({ url: parley.url, getToken: async () => client.token });
    try {
      const dossier = await sdk.exportRecord('order', orderId);
      expect(dossier.record.id).toBe(orderId);
      expect(await sdk.exportRecord('order', orderId, 'html')).toContain('<!doctype html>');
      await expect(sdk.exportRecord('order', `${orderId}0`)).rejects.toMatchObject({
        body: { code: 'not_found' },
      });
    } finally {
      sdk.close();
    }
  });
});
