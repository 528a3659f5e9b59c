// Attachments end to end on a real server: uploads admitted by their bytes and stored (images re-encoded),
// downloads only for the conversation's current members with headers that never let a file run as a page,
// signed URLs, the size limit, and messages carrying, listing and purging them. Local files on both drivers.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { localStorage } from '../../src/server/domain/attachments/local-storage.ts';
import { purgeAttachmentsOfMessages } from '../../src/server/domain/attachments/message-attachments.ts';
import { createAttachmentSweeper } from '../../src/server/domain/attachments/sweeper.ts';
import {
  compoundFile,
  download,
  ods,
  pngImage,
  signedUrl,
  textWithLateScript,
  upload,
  xlsx,
  zip,
} from '../helpers/attachments.ts';
import { api, newUser, type TestUser } from '../helpers/clients.ts';
import { postMessage, startChannel, startConversation, uniqueName } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { connected, until } from '../helpers/sdk.ts';
import { useTestServer } from '../helpers/test-server.ts';

const MAX_UPLOAD_BYTES = 200_000;
const STARTUP_TIMEOUT_MS = 180_000;

describe.each(testDrivers())('attachments on %s', (driver) => {
  // PGlite keeps attachments under its data directory (the default); the PostgreSQL run names a directory.
  const filesDir = driver === 'postgres' ? mkdtempSync(join(tmpdir(), 'parley-files-')) : undefined;
  const parley = useTestServer(driver, {
    startupTimeoutMs: STARTUP_TIMEOUT_MS,
    env: {
      PARLEY_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      ...(filesDir ? { PARLEY_STORAGE_URL: `file://${filesDir}` } : {}),
    },
  });
  afterAll(() => {
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  });

  const storedDir = () => filesDir ?? join(parley.storage.env.PARLEY_DATA_DIR as string, 'attachments');
  const storedFiles = () => (existsSync(storedDir()) ? readdirSync(storedDir()).sort() : []);
  const rowCount = async () =>
    Number((await parley.server.db.query<{ n: number }>('select count(*)::int as n from attachments'))[0]?.n);

  /** A user Parley has met (people are added to conversations only once they have signed in). */
  async function person(label: string): Promise<TestUser> {
    const user = await newUser(label);
    expect((await api(parley.url, 'GET', '/api/me', { token: user.token })).status).toBe(200);
    return user;
  }

  async function room(...others: TestUser[]) {
    const owner = await newUser('owner');
    const conversation = await startChannel(parley.url, owner, others, 'files');
    return { owner, conversationId: conversation.id };
  }

  async function uploaded(user: TestUser, conversationId: string, file: Parameters<typeof upload>[3]) {
    const answer = await upload(parley.url, user, conversationId, file);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.attachment;
  }

  it('stores an image re-encoded without its metadata, with a thumbnail, and serves it inline', async () => {
    const { owner, conversationId } = await room();
    const original = await pngImage(800, 600);
    expect(original.includes('secret-location-marker')).toBe(true);
    const attachment = await uploaded(owner, conversationId, { bytes: original, name: 'harbour.png' });
    expect(attachment).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      name: 'harbour.png',
      contentType: 'image/png',
      size: expect.any(Number),
      kind: 'image',
      width: 800,
      height: 600,
      hasThumbnail: true,
    });

    const served = await download(parley.url, `/api/attachments/${attachment.id}`, owner);
    expect(served.status).toBe(200);
    expect(Object.fromEntries(served.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': "inline; filename*=UTF-8''harbour.png",
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'private',
      'content-length': String(attachment.size),
    });
    expect(served.bytes.includes('secret-location-marker')).toBe(false);
    expect(await sharp(served.bytes).metadata()).toMatchObject({ format: 'png', width: 800, height: 600 });

    const thumbnail = await download(parley.url, `/api/attachments/${attachment.id}/thumbnail`, owner);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({
      format: 'webp',
      width: 320,
      height: 240,
    });
  });

  it('serves every other file as a download of its detected type, sandboxed', async () => {
    const { owner, conversationId } = await room();
    const files = [
      {
        bytes: textWithLateScript,
        name: 'notes.txt',
        type: 'text/html',
        served: 'text/plain; charset=utf-8',
      },
      { bytes: 'sku,qty\nA-1,3\n', name: 'stock.csv', type: 'text/csv', served: 'text/csv; charset=utf-8' },
      { bytes: '%PDF-1.4\n%%EOF\n', name: 'report.pdf', type: 'application/pdf', served: 'application/pdf' },
      {
        bytes: xlsx(),
        name: 'Q3 forecast (final).xlsx',
        served: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      { bytes: ods(), name: 'budget.ods', served: 'application/vnd.oasis.opendocument.spreadsheet' },
      { bytes: compoundFile('Workbook'), name: 'legacy.xls', served: 'application/vnd.ms-excel' },
    ];
    for (const file of files) {
      const attachment = await uploaded(owner, conversationId, file);
      expect(attachment, file.name).toMatchObject({
        kind: 'file',
        hasThumbnail: false,
        width: null,
        height: null,
      });
      const served = await download(parley.url, `/api/attachments/${attachment.id}`, owner);
      expect(served.status, file.name).toBe(200);
      expect(Object.fromEntries(served.headers), file.name).toMatchObject({
        'content-type': file.served,
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "sandbox; default-src 'none'",
        'cache-control': 'private',
      });
      expect(served.bytes.equals(Buffer.from(file.bytes)), file.name).toBe(true);
      const thumbnail = await download(parley.url, `/api/attachments/${attachment.id}/thumbnail`, owner);
      expect(thumbnail.status).toBe(404);
    }
  });

  it('names a file by its detected type and cleans what could mislead', async () => {
    const { owner, conversationId } = await room();
    const renamed = await uploaded(owner, conversationId, {
      bytes: '%PDF-1.4\n%%EOF\n',
      name: 'invoice.exe',
    });
    expect(renamed.name).toBe('invoice.exe.pdf');
    const tricky = await uploaded(owner, conversationId, { bytes: 'hello', name: '../../etc/\u202Etxt.exe' });
    expect(tricky.name).toBe('txt.exe.txt');
  });

  it('refuses files that are not on the allow-list, or pretend to be, and stores nothing', async () => {
    const { owner, conversationId } = await room();
    const before = { files: storedFiles(), rows: await rowCount() };
    const png = await pngImage(20, 20);
    const refused = [
      { name: 'setup.exe', bytes: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]) },
      { name: 'archive.zip', bytes: zip({ 'readme.txt': 'hello' }) },
      { name: 'installer.xls', bytes: compoundFile('SummaryInformation') },
      { name: 'logo.svg', bytes: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' },
      { name: 'page.html', bytes: '<!DOCTYPE html><html><body>hi</body></html>' },
      { name: 'cat.png', type: 'image/png', bytes: '<html><script>document.title="pwned"</script></html>' },
      { name: 'anim.gif', type: 'image/gif', bytes: 'GIF89a<script>document.title="pwned"</script>' },
      { name: 'feed.txt', bytes: '<?xml version="1.0"?><rss/>' },
      { name: 'notes.txt', bytes: Buffer.from([0x68, 0x69, 0x00, 0x21]) },
      { name: 'latin1.txt', bytes: Buffer.from([0x63, 0x61, 0x66, 0xe9]) },
      { name: 'photo.png', bytes: png.subarray(0, png.length / 2) },
    ];
    for (const file of refused) {
      const answer = await upload(parley.url, owner, conversationId, file);
      expect([answer.status, answer.body.error?.code], file.name).toEqual([
        415,
        'attachment_type_not_allowed',
      ]);
    }
    expect({ files: storedFiles(), rows: await rowCount() }).toEqual(before);
  });

  it('keeps only the pixels of an image that carries a payload after its end', async () => {
    const { owner, conversationId } = await room();
    const payload = '<html><script>document.title="pwned"</script></html>';
    const polyglot = Buffer.concat([await pngImage(40, 30), Buffer.from(payload)]);
    const attachment = await uploaded(owner, conversationId, {
      bytes: polyglot,
      name: 'x.html',
      type: 'text/html',
    });
    expect(attachment).toMatchObject({ name: 'x.html.png', contentType: 'image/png', kind: 'image' });
    const served = await download(parley.url, `/api/attachments/${attachment.id}`, owner);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.bytes.includes('<script')).toBe(false);
    expect(served.bytes.includes('html')).toBe(false);
  });

  it('refuses an upload over the limit with attachment_too_large and stores nothing', async () => {
    const { owner, conversationId } = await room();
    const before = { files: storedFiles(), rows: await rowCount() };
    const answer = await upload(parley.url, owner, conversationId, {
      bytes: 'x'.repeat(MAX_UPLOAD_BYTES + 1),
      name: 'big.txt',
    });
    expect([answer.status, answer.body.error.code]).toEqual([413, 'attachment_too_large']);
    expect({ files: storedFiles(), rows: await rowCount() }).toEqual(before);
    await uploaded(owner, conversationId, { bytes: 'x'.repeat(MAX_UPLOAD_BYTES), name: 'just-fits.txt' });
  });

  it('lets only members who may write upload, and only members download', async () => {
    const { owner, conversationId } = await room();
    const outsider = await newUser('outsider');
    const refused = await upload(parley.url, outsider, conversationId, { bytes: 'hi', name: 'a.txt' });
    expect([refused.status, refused.body.error.code]).toEqual([404, 'not_found']);

    const attachment = await uploaded(owner, conversationId, { bytes: 'hi', name: 'a.txt' });
    const peek = await download(parley.url, `/api/attachments/${attachment.id}`, outsider);
    expect(peek.status).toBe(404);
    expect((await signedUrl(parley.url, outsider, attachment.id)).status).toBe(404);
    expect((await download(parley.url, `/api/attachments/${attachment.id}`)).status).toBe(401);

    const archived = await api(parley.url, 'PATCH', `/api/conversations/${conversationId}`, {
      token: owner.token,
      body: { archived: true },
    });
    expect(archived.status, JSON.stringify(archived.body)).toBe(200);
    const late = await upload(parley.url, owner, conversationId, { bytes: 'hi', name: 'a.txt' });
    expect([late.status, late.body.error.code]).toEqual([403, 'forbidden']);
    expect((await download(parley.url, `/api/attachments/${attachment.id}`, owner)).status).toBe(200);
  });

  it('keeps an upload to its uploader until a message carries it, then shows it to every member', async () => {
    const member = await person('member');
    const { owner, conversationId } = await room(member);
    const attachment = await uploaded(owner, conversationId, { bytes: 'draft', name: 'draft.txt' });
    expect((await download(parley.url, `/api/attachments/${attachment.id}`, member)).status).toBe(404);

    const message = await postMessage(parley.url, owner, conversationId, 'see attached', {
      attachmentIds: [attachment.id],
    });

    expect(message.attachments).toEqual([attachment]);
    const page = await api(parley.url, 'GET', `/api/conversations/${conversationId}/messages`, {
      token: member.token,
    });
    expect(page.body.messages).toEqual([message]);
    expect((await download(parley.url, `/api/attachments/${attachment.id}`, member)).status).toBe(200);
  });

  it('refuses a message with files that are not unsent uploads of its sender to its conversation', async () => {
    const member = await person('member');
    const { owner, conversationId } = await room(member);
    const mine = await uploaded(owner, conversationId, { bytes: 'mine', name: 'a.txt' });
    const theirs = await uploaded(member, conversationId, { bytes: 'theirs', name: 'b.txt' });
    const send = (attachmentIds: string[], clientMsgId: string = randomUUID()) =>
      api(parley.url, 'POST', `/api/conversations/${conversationId}/messages`, {
        token: owner.token,
        body: { clientMsgId, body: '', attachmentIds },
      });

    const refused = await send([mine.id, theirs.id]);
    expect([refused.status, refused.body.error.code]).toEqual([400, 'invalid_payload']);
    expect(refused.body.error.message).toContain(theirs.id);
    const sent = await send([mine.id], 'with-file');
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.message).toMatchObject({ body: '', attachments: [mine] });
    // A resend is answered with the original; the same file on another message is refused.
    expect((await send([mine.id], 'with-file')).body.message).toEqual(sent.body.message);
    expect((await send([mine.id])).body.error.code).toBe('invalid_payload');
    expect((await send([])).body.error.code).toBe('empty_message');
  });

  it('a delete for everyone purges the message’s files: unreachable at once, their bytes gone after', async () => {
    const member = await person('member');
    const { owner, conversationId } = await room(member);
    const attachment = await uploaded(owner, conversationId, {
      bytes: await pngImage(50, 50),
      name: 'packing-slip-7731.png',
    });
    const message = await postMessage(parley.url, owner, conversationId, 'photo', {
      attachmentIds: [attachment.id],
    });
    expect(storedFiles()).toEqual(expect.arrayContaining([attachment.id, `${attachment.id}-thumbnail`]));
    const search = async () =>
      (await api(parley.url, 'GET', '/api/search?q=packing%20slip', { token: member.token })).body.hits;
    expect((await search()).map((hit: { message: { id: string } }) => hit.message.id)).toEqual([message.id]);

    const deleted = await api(parley.url, 'DELETE', `/api/messages/${message.id}`, { token: owner.token });

    expect(deleted.body.message.attachments).toEqual([]);
    expect((await download(parley.url, `/api/attachments/${attachment.id}`, owner)).status).toBe(404);
    expect(await search()).toEqual([]);
    await expect.poll(() => storedFiles().filter((file) => file.startsWith(attachment.id))).toEqual([]);
    await expect
      .poll(() => parley.server.db.query('select 1 from attachments where id = $1', [attachment.id]))
      .toEqual([]);
  });

  it('the SDK uploads a file, sends it on a message, and a member opens it through a signed URL', async () => {
    const member = await person('member');
    const { owner, conversationId } = await room(member);
    const [sender, reader] = [parley.sdk(owner.token), parley.sdk(member.token)];
    await Promise.all([connected(sender), connected(reader)]);
    await reader.open(conversationId);

    const file = new Blob(['pallet 7 of 12'], { type: 'text/plain' });
    const attachment = await sender.attachments.upload(
      conversationId,
      Object.assign(file, { name: 'pallets.txt' }),
    );
    sender.send(conversationId, 'Pallet list', [], { attachmentIds: [attachment.id] });
    await until(
      reader,
      () => reader.messages(conversationId).length === 1,
      10_000,
      'the message with the file',
    );

    const [received] = reader.messages(conversationId);
    expect(received?.attachments).toEqual([attachment]);
    const signed = await reader.attachments.url(attachment.id);
    const fetched = await fetch(signed.url);
    expect([fetched.status, await fetched.text()]).toEqual([200, 'pallet 7 of 12']);
    const refused = await sender.attachments
      .upload(conversationId, Object.assign(new Blob(['<svg onload=alert(1)>']), { name: 'x.svg' }))
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'attachment_type_not_allowed' });
  });

  it('purges through the storage seam: unreachable at once, their bytes and rows gone after the commit', async () => {
    const { owner, conversationId } = await room();
    const attachment = await uploaded(owner, conversationId, { bytes: 'notes', name: 'n.txt' });
    const message = await postMessage(parley.url, owner, conversationId, 'notes', {
      attachmentIds: [attachment.id],
    });
    const db = parley.server.db;
    const storage = localStorage(storedDir());
    const purged = await db.transaction((tx) => purgeAttachmentsOfMessages(tx, storage, [message.id]));
    expect(purged.ids).toEqual([attachment.id]);
    expect((await download(parley.url, `/api/attachments/${attachment.id}`, owner)).status).toBe(404);
    await purged.removeStored(db);
    expect(storedFiles()).not.toContain(attachment.id);
    expect(await db.query('select 1 from attachments where id = $1', [attachment.id])).toEqual([]);
  });

  it('sweeps away uploads no message claimed in time, and leaves claimed ones', async () => {
    const { owner, conversationId } = await room();
    const forgotten = await uploaded(owner, conversationId, { bytes: 'forgotten', name: 'f.txt' });
    const kept = await uploaded(owner, conversationId, { bytes: 'kept', name: 'k.txt' });
    await postMessage(parley.url, owner, conversationId, 'kept', { attachmentIds: [kept.id] });
    const db = parley.server.db;
    await db.query("update attachments set created_at = now() - interval '2 days' where id = any($1)", [
      [forgotten.id, kept.id],
    ]);
    const errors: unknown[] = [];
    const sweeper = createAttachmentSweeper({
      db,
      storage: localStorage(storedDir()),
      unclaimedMaxAgeMs: 24 * 60 * 60 * 1000,
      intervalMs: 50,
      onError: (error) => errors.push(error),
    });
    sweeper.start();
    try {
      await expect.poll(() => storedFiles().includes(forgotten.id), { timeout: 10_000 }).toBe(false);
      await expect
        .poll(async () => (await db.query('select 1 from attachments where id = $1', [forgotten.id])).length)
        .toBe(0);
    } finally {
      await sweeper.stop();
    }
    expect(errors).toEqual([]);
    expect(storedFiles()).toContain(kept.id);
    expect((await download(parley.url, `/api/attachments/${kept.id}`, owner)).status).toBe(200);
  });

  it('downloads with a signed URL until it is tampered with, or its user has left', async () => {
    const member = await person('member');
    const owner = await newUser('owner');
    const group = await startConversation(parley.url, owner, {
      kind: 'group',
      name: uniqueName('group'),
      memberIds: [member.id],
    });
    const attachment = await uploaded(owner, group.id, { bytes: await pngImage(60, 40), name: 'g.png' });
    await postMessage(parley.url, owner, group.id, 'for you', { attachmentIds: [attachment.id] });

    const issued = await signedUrl(parley.url, member, attachment.id);
    expect(issued.status).toBe(200);
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(4 * 60 * 1000);
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60 * 1000);
    const fetched = await download(parley.url, issued.body.url);
    expect([fetched.status, fetched.headers.get('content-type')]).toEqual([200, 'image/png']);
    const thumb = await signedUrl(parley.url, member, attachment.id, 'thumbnail');
    expect((await download(parley.url, thumb.body.url)).headers.get('content-type')).toBe('image/webp');

    const url = new URL(issued.body.url, parley.url);
    const tampered = (change: (query: URLSearchParams) => void) => {
      const copy = new URL(url);
      change(copy.searchParams);
      return `${copy.pathname}${copy.search}`;
    };
    for (const path of [
      tampered((q) => q.set('expires', String(Number(q.get('expires')) + 3600))),
      tampered((q) => q.set('user', owner.id)),
      tampered((q) => q.set('sig', `${q.get('sig')?.slice(0, -2)}AA`)),
      `${url.pathname}/thumbnail${url.search}`,
    ]) {
      const answer = await download(parley.url, path);
      expect(answer.status, path).toBe(401);
    }

    const left = await fetch(`${parley.url}/api/conversations/${group.id}/leave`, {
      method: 'POST',
      headers: { authorization: `Bearer ${member.token}` },
    });
    expect(left.status).toBe(204);
    expect((await download(parley.url, issued.body.url)).status).toBe(404);
    expect((await download(parley.url, `/api/attachments/${attachment.id}`, member)).status).toBe(404);
  });
});
