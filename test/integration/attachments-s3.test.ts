// Attachments in an S3-compatible object store: the same round trip as on local files, against a real
// local S3 server that checks every request's signature, and nothing left in the bucket by a refusal or a
// purge. The store does not depend on the database driver, so PGlite alone runs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { s3Storage } from '../../src/server/domain/attachments/s3-storage.ts';
import { download, pngImage, signedUrl, upload } from '../helpers/attachments.ts';
import { api, newUser } from '../helpers/clients.ts';
import { postMessage, startChannel } from '../helpers/conversations.ts';
import { type LocalS3, startLocalS3 } from '../helpers/s3-server.ts';
import { createTestStorage, startTestServer, type TestStorage } from '../helpers/server.ts';

const STARTUP_TIMEOUT_MS = 180_000;

describe('attachments in an S3-compatible store', () => {
  let s3: LocalS3;
  let storage: TestStorage;
  let server: ParleyServer;

  beforeAll(async () => {
    s3 = await startLocalS3();
    storage = await createTestStorage('pglite');
    server = await startTestServer(storage, {
      env: { PARLEY_STORAGE_URL: s3.storageUrl, PARLEY_MAX_UPLOAD_BYTES: '100000' },
    });
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await server?.close();
    await storage?.destroy();
    await s3?.close();
  });

  it('stores, serves and purges an image and its thumbnail in the bucket', async () => {
    const owner = await newUser('owner');
    const { id: conversationId } = await startChannel(server.url, owner, [], 's3');
    const answer = await upload(server.url, owner, conversationId, {
      bytes: await pngImage(640, 480),
      name: 'dock.png',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const { attachment } = answer.body;
    expect(s3.keys().sort()).toEqual([attachment.id, `${attachment.id}-thumbnail`].sort());

    const served = await download(server.url, `/api/attachments/${attachment.id}`, owner);
    expect([served.status, served.headers.get('content-type'), served.bytes.length]).toEqual([
      200,
      'image/png',
      attachment.size,
    ]);
    const issued = await signedUrl(server.url, owner, attachment.id, 'thumbnail');
    const thumbnail = await download(server.url, issued.body.url);
    expect([thumbnail.status, thumbnail.headers.get('content-type')]).toEqual([200, 'image/webp']);

    const message = await postMessage(server.url, owner, conversationId, 'photo', {
      attachmentIds: [attachment.id],
    });
    expect(message.attachments).toEqual([attachment]);
    const deleted = await api(server.url, 'DELETE', `/api/messages/${message.id}`, { token: owner.token });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    await expect.poll(() => s3.keys(), { timeout: 5000 }).toEqual([]);
    expect((await download(server.url, `/api/attachments/${attachment.id}`, owner)).status).toBe(404);
  });

  it('leaves nothing in the bucket for an upload over the limit or of a refused type', async () => {
    const owner = await newUser('owner');
    const { id: conversationId } = await startChannel(server.url, owner, [], 's3');
    const before = s3.keys();
    const big = await upload(server.url, owner, conversationId, {
      bytes: 'x'.repeat(100_001),
      name: 'big.txt',
    });
    expect([big.status, big.body.error.code]).toEqual([413, 'attachment_too_large']);
    const page = await upload(server.url, owner, conversationId, { bytes: '<html><script>', name: 'a.png' });
    expect([page.status, page.body.error.code]).toEqual([415, 'attachment_type_not_allowed']);
    expect(s3.keys()).toEqual(before);
  });

  it('answers a missing object as not found rather than failing', async () => {
    const config = loadConfig({ PARLEY_JWT_SECRET: 'x'.repeat(32), PARLEY_STORAGE_URL: s3.storageUrl });
    if (config.attachments.storage.kind !== 's3') throw new Error('expected S3 settings');
    const bucket = s3Storage(config.attachments.storage);
    expect(await bucket.get('no-such-key')).toBeNull();
    await bucket.delete(['no-such-key']);
  });
});
