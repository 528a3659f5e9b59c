// The email rung of the notification ladder end to end, on both drivers: a real Parley server, a real SMTP
// server on 127.0.0.1 that parses every message, people on sockets and REST. Waiting out the delays is done
// by moving a step's due time to now in the database, the one clock the ladder reads.
import { describe, expect, it } from 'vitest';
import { axiom, knownPerson, northwind, type Person } from '../helpers/access.ts';
import { api, connect } from '../helpers/clients.ts';
import { openDirectBoth, postMessage, startChannel, startConversation } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { emailDueNow, eventually, sleep, useNotifyingServer } from '../helpers/notifying-server.ts';
import type { ReceivedMail } from '../helpers/smtp-server.ts';

const LINK_TEMPLATE = 'https://dash.example.test/chat?c={conversationId}';

describe.each(testDrivers())('email notifications on %s', (driver) => {
  const parley = useNotifyingServer(driver, { env: { PARLEY_LINK_TEMPLATE: LINK_TEMPLATE } });

  const steps = (userId: string) =>
    parley.server.db.query<{
      conversation_id: string;
      step: string;
      status: string;
      through_seq: number;
      last_error: string | null;
    }>(
      'select conversation_id, step, status, through_seq, last_error from notification_steps where user_id = $1',
      [userId],
    );

  const pending = async (userId: string) => (await steps(userId)).filter((step) => step.status !== 'idle');

  /** A header as the mail carries it (mailparser turns List-* headers into objects). */
  const rawHeader = (mail: ReceivedMail, name: string) =>
    mail.parsed.headerLines
      .find((line) => line.key === name)
      ?.line.replace(/\r?\n[ \t]+/g, '')
      .replace(/^[^:]+:\s*/, '');

  const mailsTo = (person: Person) =>
    parley.smtp.mails.received.filter((mail) =>
      mail.to.includes(person.email ?? `${person.id}@example.test`),
    );

  async function nextMailTo(person: Person, already: number): Promise<ReceivedMail> {
    return eventually('an email', async () => mailsTo(person)[already]);
  }

  async function pair(label: string): Promise<{ alice: Person; bob: Person; dmId: string }> {
    const alice = await knownPerson(parley.url, `alice-${label}`, { ...axiom, displayName: 'Alice Chen' });
    const bob = await knownPerson(parley.url, `bob-${label}`, { ...northwind, displayName: 'Bob Kraus' });
    const dm = await openDirectBoth(parley.url, alice, bob);
    return { alice, bob, dmId: dm.id };
  }

  it('sends an offline user one digest with only what is new, escaped, with working links and headers', async () => {
    const { alice, bob, dmId } = await pair('digest');
    await postMessage(parley.url, alice, dmId, 'Order #1234 is packed');
    await postMessage(parley.url, alice, dmId, 'Ship <script>alert(1)</script> & confirm');
    await emailDueNow(parley.server, bob.id, dmId);
    const first = await nextMailTo(bob, 0);
    expect(first.parsed.subject).toBe('Alice Chen sent you 2 new messages');
    expect(first.parsed.text).toContain('Order #1234 is packed');
    expect(first.parsed.text).toContain('Alice Chen (axiom)');
    expect(first.parsed.html).toContain('Ship &lt;script&gt;alert(1)&lt;/script&gt; &amp; confirm');
    expect(first.parsed.html).not.toContain('<script>');
    expect(first.parsed.text).toContain(LINK_TEMPLATE.replace('{conversationId}', dmId));
    expect(rawHeader(first, 'list-unsubscribe')).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=u1\./,
    );
    expect(rawHeader(first, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const thread = first.parsed.inReplyTo;
    expect(thread).toMatch(/^<conversation-[0-9a-f]{24}@127\.0\.0\.1>$/);

    // Told once: more messages arm nothing until Bob is back.
    await postMessage(parley.url, alice, dmId, 'Anything else?');
    await sleep(300);
    expect((await steps(bob.id)).find((s) => s.step === 'email')?.status).toBe('sent');
    expect(mailsTo(bob)).toHaveLength(1);

    // Back (a client connects) and gone again: the next digest tells only what came after the first.
    const socket = await connect(parley.url, bob.token);
    await eventually('the step to be idle again', async () =>
      (await steps(bob.id)).find((s) => s.step === 'email')?.status === 'idle' ? true : undefined,
    );
    socket.disconnect();
    await postMessage(parley.url, alice, dmId, 'Pallets leave at 4');
    await emailDueNow(parley.server, bob.id, dmId);
    const second = await nextMailTo(bob, 1);
    expect(second.parsed.text).toContain('Pallets leave at 4');
    expect(second.parsed.text).toContain('Anything else?');
    expect(second.parsed.text).not.toContain('Order #1234 is packed');
    expect(second.parsed.inReplyTo).toBe(thread);
    expect(second.parsed.references).toContain(thread as string);
  });

  it('cancels every step in the statement that reads, and sends nothing after', async () => {
    const { alice, bob, dmId } = await pair('read');
    const latencies: number[] = [];
    for (let round = 0; round < 60; round += 1) {
      const message = await postMessage(parley.url, alice, dmId, `round ${round}`);
      await eventually('an armed step', async () => ((await pending(bob.id)).length > 0 ? true : undefined));
      const started = performance.now();
      const read = await api(parley.url, 'POST', `/api/conversations/${dmId}/read`, {
        token: bob.token,
        body: { seq: message.seq },
      });
      expect(read.status).toBe(200);
      expect(await pending(bob.id)).toEqual([]);
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    const at = (share: number) => latencies[Math.ceil(share * latencies.length) - 1]?.toFixed(1);
    console.log(
      `[notifications ${driver}] read → every step cancelled (one statement): p50 ${at(0.5)} ms, ` +
        `p99 ${at(0.99)} ms over ${latencies.length} reads`,
    );
    await sleep(300);
    expect(mailsTo(bob)).toHaveLength(0);
  });

  it('sends no email to a user who is active, and sends it once they are away', async () => {
    const { alice, bob, dmId } = await pair('active');
    const socket = await connect(parley.url, bob.token);
    await postMessage(parley.url, alice, dmId, 'Are you there?');
    await emailDueNow(parley.server, bob.id, dmId);
    await eventually('the step to be postponed', async () => {
      const [row] = await parley.server.db.query<{ later: boolean; attempts: number }>(
        `select due_at > now() + interval '30 seconds' as later, attempts from notification_steps
         where user_id = $1 and step = 'email'`,
        [bob.id],
      );
      return row && row.attempts > 0 && row.later ? true : undefined;
    });
    expect(mailsTo(bob)).toHaveLength(0);
    socket.emit('presence:set', { status: 'away' });
    await sleep(200);
    await emailDueNow(parley.server, bob.id, dmId);
    const mail = await nextMailTo(bob, 0);
    expect(mail.parsed.text).toContain('Are you there?');
    socket.disconnect();
  });

  it('never sends a deleted message, and sends the edited text of an edited one', async () => {
    const { alice, bob, dmId } = await pair('changed');
    const deleted = await postMessage(parley.url, alice, dmId, 'wrong customer, ignore');
    await eventually('an armed step', async () => ((await steps(bob.id)).length > 0 ? true : undefined));
    const removed = await api(parley.url, 'DELETE', `/api/messages/${deleted.id}`, { token: alice.token });
    expect(removed.status).toBe(200);
    await emailDueNow(parley.server, bob.id, dmId);
    await eventually('the step with only a deleted message to go idle', async () =>
      (await pending(bob.id)).length === 0 ? true : undefined,
    );
    expect(mailsTo(bob)).toHaveLength(0);

    const edited = await postMessage(parley.url, alice, dmId, 'teh order ships monday');
    const edit = await api(parley.url, 'PATCH', `/api/messages/${edited.id}`, {
      token: alice.token,
      body: { body: 'the order ships Tuesday', mentions: [] },
    });
    expect(edit.status).toBe(200);
    await emailDueNow(parley.server, bob.id, dmId);
    const mail = await nextMailTo(bob, 0);
    expect(mail.parsed.text).toContain('the order ships Tuesday');
    expect(mail.parsed.text).not.toContain('teh order');
    expect(mail.parsed.text).not.toContain('wrong customer');
  });

  it('notifies of a mention an edit adds only the newly mentioned, each of the message once', async () => {
    const alice = await knownPerson(parley.url, 'alice-edit', { ...axiom, displayName: 'Alice Chen' });
    const bob = await knownPerson(parley.url, 'bob-edit', { ...axiom, displayName: 'Bob Kraus' });
    const carol = await knownPerson(parley.url, 'carol-edit', { ...axiom, displayName: 'Carol Diaz' });
    const channel = await startChannel(parley.url, alice, [bob, carol], 'dock');
    const sent = await postMessage(parley.url, alice, channel.id, '@Carol the pallets are wrapped', {
      mentions: [carol.id],
    });
    await sleep(200);
    expect(await pending(bob.id)).toEqual([]);
    const edit = await api(parley.url, 'PATCH', `/api/messages/${sent.id}`, {
      token: alice.token,
      body: { body: '@Carol @Bob the pallets are wrapped', mentions: [carol.id, bob.id] },
    });
    expect(edit.status).toBe(200);
    await emailDueNow(parley.server, bob.id, channel.id);
    await emailDueNow(parley.server, carol.id, channel.id);
    const [toBob, toCarol] = await Promise.all([nextMailTo(bob, 0), nextMailTo(carol, 0)]);
    expect(toBob.parsed.text).toContain('@Carol @Bob the pallets are wrapped');
    // Carol's mention came first and the edit did not mention her anew: one message, not two.
    expect(toCarol.parsed.subject).toContain('Alice Chen wrote to you in #dock');
    expect(toCarol.parsed.text?.match(/the pallets are wrapped/g)).toHaveLength(1);
  });

  it('follows the level: a group notifies a mentions-only user only of mentions', async () => {
    const alice = await knownPerson(parley.url, 'alice-level', { ...axiom, displayName: 'Alice Chen' });
    const bob = await knownPerson(parley.url, 'bob-level', { ...axiom, displayName: 'Bob Kraus' });
    const carol = await knownPerson(parley.url, 'carol-level', { ...axiom, displayName: 'Carol Diaz' });
    const set = await api(parley.url, 'PATCH', '/api/me/notification-settings', {
      token: bob.token,
      body: { level: 'mentions' },
    });
    expect(set.status).toBe(200);
    expect(set.body.settings.level).toBe('mentions');
    const group = await startConversation(parley.url, alice, {
      kind: 'group',
      memberIds: [bob.id, carol.id],
      name: 'Dock',
    });
    await postMessage(parley.url, alice, group.id, 'general chatter');
    await eventually('carol to be armed', async () =>
      (await pending(carol.id)).length > 0 ? true : undefined,
    );
    expect(await pending(bob.id)).toEqual([]);
    await postMessage(parley.url, alice, group.id, '@Bob can you check?', { mentions: [bob.id] });
    await emailDueNow(parley.server, bob.id, group.id);
    const mail = await nextMailTo(bob, 0);
    expect(mail.parsed.text).toContain('@Bob can you check?');
    expect(mail.parsed.text).not.toContain('general chatter');
  });

  it('unsubscribes from one link without a login, and refuses a tampered one', async () => {
    const { alice, bob, dmId } = await pair('unsubscribe');
    await postMessage(parley.url, alice, dmId, 'first');
    await emailDueNow(parley.server, bob.id, dmId);
    const mail = await nextMailTo(bob, 0);
    const link = String(rawHeader(mail, 'list-unsubscribe')).slice(1, -1);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    const tampered = await fetch(`${link.slice(0, -2)}xx`, { method: 'POST' });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('This link does not work');
    const oneClick = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    const conversation = await api(parley.url, 'GET', `/api/conversations/${dmId}`, { token: bob.token });
    expect(conversation.body.conversation.muted).toBe(true);
    await postMessage(parley.url, alice, dmId, 'second');
    await sleep(300);
    expect(await pending(bob.id)).toEqual([]);
  });

  it('retries while the SMTP server is down and sends once when it is back', async () => {
    const { alice, bob, dmId } = await pair('smtp-down');
    parley.smtp.setDown(true);
    try {
      await postMessage(parley.url, alice, dmId, 'sent while the mail server restarts');
      await emailDueNow(parley.server, bob.id, dmId);
      await eventually('a failed attempt', async () =>
        (await steps(bob.id)).find((s) => s.step === 'email')?.last_error ? true : undefined,
      );
    } finally {
      parley.smtp.setDown(false);
    }
    await emailDueNow(parley.server, bob.id, dmId);
    await nextMailTo(bob, 0);
    await sleep(300);
    expect(mailsTo(bob)).toHaveLength(1);
    expect((await steps(bob.id)).find((s) => s.step === 'email')?.status).toBe('sent');
  });

  it('validates settings and keeps the defaults to admins', async () => {
    const member = await knownPerson(parley.url, 'member-settings', axiom);
    const admin = await knownPerson(parley.url, 'admin-settings', { ...axiom, role: 'admin' });
    const bad = await api(parley.url, 'PATCH', '/api/me/notification-settings', {
      token: member.token,
      body: { level: 'loud', emailDelaySeconds: 5 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_payload');
    const quiet = await api(parley.url, 'PATCH', '/api/me/notification-settings', {
      token: member.token,
      body: { quietHours: { startMinute: 22 * 60, endMinute: 7 * 60, timeZone: 'Europe/Berlin' } },
    });
    expect(quiet.status).toBe(200);
    expect(quiet.body.settings.quietHours).toEqual({
      startMinute: 1320,
      endMinute: 420,
      timeZone: 'Europe/Berlin',
    });
    expect(quiet.body.settings.hasEmailAddress).toBe(true);
    const refused = await api(parley.url, 'PATCH', '/api/admin/notification-defaults', {
      token: member.token,
      body: { emailDelaySeconds: 300 },
    });
    expect(refused.status).toBe(403);
    const changed = await api(parley.url, 'PATCH', '/api/admin/notification-defaults', {
      token: admin.token,
      body: { emailDelaySeconds: 300 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.defaults.emailDelaySeconds).toBe(300);
    const mine = await api(parley.url, 'GET', '/api/me/notification-settings', { token: member.token });
    expect(mine.body.settings.emailDelaySeconds).toBe(300);
    await api(parley.url, 'PATCH', '/api/admin/notification-defaults', {
      token: admin.token,
      body: { emailDelaySeconds: 600 },
    });
  });
});
