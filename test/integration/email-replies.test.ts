// Reply by email end to end, on both drivers: a digest arrives at a real SMTP server on 127.0.0.1 with its
// Reply-To; the reply goes to Parley's own SMTP endpoint (or through the mail-provider webhook) as a mail
// server would send it, DKIM-signed or not. DNS answers come from a table the tests fill, never the network.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DNSResolver } from 'mailauth';
import { createTransport } from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { axiom, createHostKey, knownPerson, northwind, type Person } from '../helpers/access.ts';
import { pngImage } from '../helpers/attachments.ts';
import { api } from '../helpers/clients.ts';
import { openDirectBoth, postMessage } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { emailDueNow, eventually, sleep, useNotifyingServer } from '../helpers/notifying-server.ts';
import type { ReceivedMail } from '../helpers/smtp-server.ts';
import { loopbackCertificate } from '../helpers/tls.ts';

const REPLY_DOMAIN = 'reply.axiom.example.test';

/** The operator's certificate for the SMTP endpoint, as PEM files. */
const tls = loopbackCertificate();
const tlsDir = mkdtempSync(join(tmpdir(), 'parley-smtp-tls-'));
writeFileSync(join(tlsDir, 'key.pem'), tls.key);
writeFileSync(join(tlsDir, 'cert.pem'), tls.cert);
afterAll(() => rmSync(tlsDir, { recursive: true, force: true }));
const SIGNED_DOMAIN = 'signed.example.test';
const STRICT_DOMAIN = 'strict.example.test';

const dkimKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dkimPublic = dkimKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const dkimPrivate = dkimKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** The DNS of the tests: a DKIM key for the signed domain, a DMARC reject policy for both. */
const records: Record<string, string[][]> = {
  [`mail._domainkey.${SIGNED_DOMAIN}`]: [[`v=DKIM1; k=rsa; p=${dkimPublic}`]],
  [`_dmarc.${SIGNED_DOMAIN}`]: [['v=DMARC1; p=reject']],
  [`_dmarc.${STRICT_DOMAIN}`]: [['v=DMARC1; p=reject']],
};
const resolveDns: DNSResolver = async (name, type) => {
  const found = type === 'TXT' ? records[name.toLowerCase()] : undefined;
  if (found) return found;
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

describe.each(testDrivers())('reply by email on %s', (driver) => {
  const parley = useNotifyingServer(driver, {
    env: {
      PARLEY_REPLY_DOMAIN: REPLY_DOMAIN,
      PARLEY_INBOUND_SMTP_PORT: '0',
      PARLEY_INBOUND_SMTP_HOST: '127.0.0.1',
      PARLEY_INBOUND_MAX_BYTES: String(64 * 1024),
      PARLEY_INBOUND_SMTP_TLS_KEY: join(tlsDir, 'key.pem'),
      PARLEY_INBOUND_SMTP_TLS_CERT: join(tlsDir, 'cert.pem'),
    },
    resolveDns,
  });

  /** A mail server sending to Parley's reply endpoint (in the clear unless it insists on TLS). */
  const relay = (requireTLS = false) =>
    createTransport({
      host: '127.0.0.1',
      port: parley.server.inboundSmtpPort ?? 0,
      secure: false,
      ...(requireTLS ? { requireTLS, tls: { ca: tls.cert } } : { ignoreTLS: true }),
    });

  /** Alice writes to Bob, who is away; Bob's digest arrives. */
  async function digestFor(label: string, bobEmailDomain = 'example.test') {
    const alice = await knownPerson(parley.url, `alice-${label}`, { ...axiom, displayName: 'Alice Chen' });
    const bobId = `bob-${label}-${randomUUID().slice(0, 6)}`;
    const bob = await knownPerson(parley.url, bobId, {
      ...northwind,
      displayName: 'Bob Kraus',
      email: `${bobId}@${bobEmailDomain}`,
    });
    const dm = await openDirectBoth(parley.url, alice, bob);
    await postMessage(parley.url, alice, dm.id, 'Can you confirm order #1234 ships today?');
    await emailDueNow(parley.server, bob.id);
    const digest: ReceivedMail = await eventually('the digest', async () =>
      parley.smtp.mails.received.find((mail) => mail.to.includes(bob.email as string)),
    );
    const replyTo = digest.parsed.replyTo?.value[0]?.address as string;
    expect(replyTo).toMatch(new RegExp(`^reply-[a-z2-7]{29}@${REPLY_DOMAIN.replaceAll('.', '\\.')}$`));
    return { alice, bob, dmId: dm.id, digest, replyTo };
  }

  const replyText = (digest: ReceivedMail, text: string) =>
    `${text}\n\n-- \nBob Kraus | Northwind Manufacturing\n\nOn Thu, Dec 3, 2026 at 9:00 AM Parley wrote:\n${(
      digest.parsed.text ?? ''
    )
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n')}`;

  const history = async (person: Person, conversationId: string) =>
    (await api(parley.url, 'GET', `/api/conversations/${conversationId}/messages`, { token: person.token }))
      .body.messages as { senderId: string; body: string; kind: string }[];

  async function systemMessagesTo(person: Person): Promise<string[]> {
    const list = await api(parley.url, 'GET', '/api/conversations', { token: person.token });
    const fromParley = list.body.conversations.find(
      (conversation: { kind: string; members: { id: string }[] | null }) =>
        conversation.kind === 'direct' && conversation.members?.some((member) => member.id === 'parley-mail'),
    );
    if (!fromParley) return [];
    return (await history(person, fromParley.id)).map((message) => message.body);
  }

  it('posts a reply once as its user, without the quoted digest and the signature', async () => {
    const { alice, bob, dmId, digest, replyTo } = await digestFor('posts');
    const mail = {
      from: `Bob Kraus <${bob.email}>`,
      to: replyTo,
      subject: `Re: ${digest.parsed.subject}`,
      messageId: `<${randomUUID()}@example.test>`,
      inReplyTo: digest.parsed.messageId,
      text: replyText(digest, 'Yes, it leaves at 4 pm.'),
    };
    await relay().sendMail(mail);
    // A retrying mail server delivers the same message again: it lands once.
    await relay().sendMail(mail);
    const posted = await eventually('the reply in the conversation', async () => {
      const messages = await history(alice, dmId);
      return messages.some((message) => message.senderId === bob.id) ? messages : undefined;
    });
    const fromBob = posted.filter((message) => message.senderId === bob.id);
    expect(fromBob.map((message) => message.body)).toEqual(['Yes, it leaves at 4 pm.']);
    await sleep(200);
    expect((await history(alice, dmId)).filter((message) => message.senderId === bob.id)).toHaveLength(1);
  });

  it('posts the files attached with the reply, names those it left out, and stores them once', async () => {
    const { alice, bob, dmId, digest, replyTo } = await digestFor('files');
    const logo = await pngImage(40, 20);
    const mail = {
      from: `Bob Kraus <${bob.email}>`,
      to: replyTo,
      subject: `Re: ${digest.parsed.subject}`,
      messageId: `<${randomUUID()}@example.test>`,
      text: replyText(digest, 'The packing slip is attached.'),
      // The logo of the signature is part of the text, not a file he sent.
      html: '<p>The packing slip is attached.</p><img src="cid:logo@northwind">',
      attachments: [
        {
          filename: 'packing-slip.pdf',
          content: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
        },
        {
          filename: 'slip.html',
          content: '<!doctype html><script>alert(1)</script>',
          contentType: 'text/html',
        },
        { filename: 'logo.png', content: logo, cid: 'logo@northwind' },
      ],
    };
    await relay().sendMail(mail);
    await relay().sendMail(mail);
    const posted = await eventually('the reply with its file', async () =>
      (await history(alice, dmId)).find((message) => message.senderId === bob.id),
    );
    expect(posted.body).toBe('The packing slip is attached.');
    const files = (posted as unknown as { attachments: { name: string; contentType: string }[] }).attachments;
    expect(files.map(({ name, contentType }) => ({ name, contentType }))).toEqual([
      { name: 'packing-slip.pdf', contentType: 'application/pdf' },
    ]);
    const told = await eventually('the note from Parley', async () => {
      const bodies = await systemMessagesTo(bob);
      return bodies.length > 0 ? bodies : undefined;
    });
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/was posted without slip\.html \(.+\)\.$/);
    await sleep(200);
    // Delivered twice, posted once, and its file stored once.
    expect((await history(alice, dmId)).filter((message) => message.senderId === bob.id)).toHaveLength(1);
    const stored = await parley.server.db.query<{ count: number }>(
      'select count(*)::int as count from attachments where uploader_id = $1',
      [bob.id],
    );
    expect(stored).toEqual([{ count: 1 }]);
  });

  it('offers STARTTLS with the operator’s certificate, to a sender that insists on TLS', async () => {
    const { alice, bob, dmId, digest, replyTo } = await digestFor('tls');
    const sent = await relay(true).sendMail({
      from: `Bob Kraus <${bob.email}>`,
      to: replyTo,
      subject: `Re: ${digest.parsed.subject}`,
      text: replyText(digest, 'Sent over TLS.'),
    });
    expect(sent.accepted).toEqual([replyTo]);
    await eventually('the reply in the conversation', async () =>
      (await history(alice, dmId)).find((message) => message.body === 'Sent over TLS.'),
    );
  });

  it('refuses a forged From and tells the user the address names', async () => {
    const { alice, bob, dmId, replyTo } = await digestFor('forged');
    await relay().sendMail({
      from: 'Mallory <mallory@example.test>',
      to: replyTo,
      subject: 'Re: order',
      text: 'Cancel the order.',
    });
    const told = await eventually('the answer from Parley', async () => {
      const bodies = await systemMessagesTo(bob);
      return bodies.length > 0 ? bodies : undefined;
    });
    expect(told[0]).toContain('was not posted: it came from mallory@example.test, not from your address');
    expect((await history(alice, dmId)).some((message) => message.body.includes('Cancel'))).toBe(false);
  });

  it('refuses mail to an address it did not make, to the sending server', async () => {
    const { bob, replyTo } = await digestFor('tampered');
    const tampered = replyTo.replace(
      /^reply-(.{28})./,
      (_, kept: string) => `reply-${kept}${kept.at(-1) === 'a' ? 'b' : 'a'}`,
    );
    await expect(
      relay().sendMail({ from: bob.email as string, to: tampered, subject: 'Re', text: 'hello' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      relay().sendMail({
        from: bob.email as string,
        to: `someone@${REPLY_DOMAIN}`,
        subject: 'Re',
        text: 'hello',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });

  it('requires a DKIM signature that verifies, and a passing DMARC where the domain has a policy', async () => {
    const signed = await digestFor('dkim', SIGNED_DOMAIN);
    const dkim = { domainName: SIGNED_DOMAIN, keySelector: 'mail', privateKey: dkimPrivate };
    await relay().sendMail({
      from: signed.bob.email as string,
      to: signed.replyTo,
      subject: 'Re: order',
      text: 'Signed and confirmed.',
      dkim,
    });
    await eventually('the signed reply', async () =>
      (await history(signed.alice, signed.dmId)).some((message) => message.body === 'Signed and confirmed.')
        ? true
        : undefined,
    );

    // Altered on the way: the body no longer matches its signature.
    const composed = await createTransport({ streamTransport: true, buffer: true }).sendMail({
      from: signed.bob.email as string,
      to: signed.replyTo,
      subject: 'Re: order',
      text: 'Ship 10 pallets.',
      dkim,
    });
    const altered = (composed.message as Buffer).toString().replace('Ship 10 pallets.', 'Ship 99 pallets.');
    await relay().sendMail({
      envelope: { from: signed.bob.email as string, to: [signed.replyTo] },
      raw: altered,
    });
    const told = await eventually('the answer about the signature', async () => {
      const bodies = await systemMessagesTo(signed.bob);
      return bodies.length > 0 ? bodies : undefined;
    });
    expect(told[0]).toContain('its DKIM signature does not verify');

    // Unsigned, from a domain whose DMARC policy rejects what it cannot verify.
    const strict = await digestFor('dmarc', STRICT_DOMAIN);
    await relay().sendMail({
      from: strict.bob.email as string,
      to: strict.replyTo,
      subject: 'Re',
      text: 'Unsigned.',
    });
    const strictTold = await eventually('the answer about DMARC', async () => {
      const bodies = await systemMessagesTo(strict.bob);
      return bodies.length > 0 ? bodies : undefined;
    });
    expect(strictTold[0]).toContain("fails its domain's DMARC policy");
    const all = [
      ...(await history(signed.alice, signed.dmId)),
      ...(await history(strict.alice, strict.dmId)),
    ];
    expect(all.some((message) => /99 pallets|Unsigned/.test(message.body))).toBe(false);
  });

  it('answers an empty reply and refuses one over the size limit', async () => {
    const { bob, digest, replyTo } = await digestFor('limits');
    await relay().sendMail({
      from: bob.email as string,
      to: replyTo,
      subject: 'Re',
      text: replyText(digest, ''),
    });
    const told = await eventually('the answer about the empty reply', async () => {
      const bodies = await systemMessagesTo(bob);
      return bodies.length > 0 ? bodies : undefined;
    });
    expect(told[0]).toContain('no text of its own');
    await expect(
      relay().sendMail({
        from: bob.email as string,
        to: replyTo,
        subject: 'Re',
        text: 'x'.repeat(100 * 1024),
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
  });

  it('takes replies from a mail provider through the webhook, with an API key of its scope', async () => {
    const { alice, bob, dmId, replyTo } = await digestFor('webhook');
    const admin = await knownPerson(parley.url, 'admin-webhook', { ...axiom, role: 'admin' });
    const key = await createHostKey(parley.url, admin.token, ['email:inbound']);
    const wrongKey = await createHostKey(parley.url, admin.token, ['records:post']);
    const raw = (
      (
        await createTransport({ streamTransport: true, buffer: true }).sendMail({
          from: bob.email as string,
          to: replyTo,
          subject: 'Re: order',
          text: 'Confirmed by the provider route.',
        })
      ).message as Buffer
    ).toString('base64');
    const post = (apiKey: string, body: unknown) =>
      fetch(`${parley.url}/api/inbound-email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post(wrongKey, { raw, recipients: [replyTo] })).status).toBe(403);
    const bad = await post(key, { raw: 'not base64!', recipients: [] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_payload');
    const unknown = await post(key, { raw, recipients: [`nobody@${REPLY_DOMAIN}`] });
    expect(unknown.status).toBe(404);
    const posted = await post(key, { raw, recipients: [replyTo], remoteAddress: '127.0.0.1' });
    expect(posted.status).toBe(201);
    expect((await posted.json()).outcome).toBe('posted');
    expect(
      (await history(alice, dmId)).some((message) => message.body === 'Confirmed by the provider route.'),
    ).toBe(true);
  });
});
