// Attachment bytes in any S3-compatible object store (AWS S3, MinIO, Ceph, R2, …), over its REST API
// signed with AWS Signature V4 by aws4fetch: three calls do not justify the AWS SDK's size.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AwsClient } from 'aws4fetch';
import type { ObjectStorage, StorageSettings } from './storage.ts';

type S3Settings = Extract<StorageSettings, { kind: 's3' }>;

/** Multi-object delete takes at most this many keys per request. */
const DELETE_BATCH = 1000;

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The store's error code (`NoSuchBucket`, `AccessDenied`, …) from its XML answer, for the log. */
function failure(status: number, text: string, what: string): Error {
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '';
  return new Error(`object storage ${what} failed: ${status} ${code}`.trim());
}

const failed = async (response: Response, what: string) =>
  failure(response.status, await response.text().catch(() => ''), what);

export function s3Storage(settings: S3Settings): ObjectStorage {
  const client = new AwsClient({
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
    region: settings.region,
    service: 's3',
  });
  const endpoint = new URL(settings.endpoint);
  const bucketUrl = settings.forcePathStyle
    ? `${endpoint.origin}/${settings.bucket}`
    : `${endpoint.protocol}//${settings.bucket}.${endpoint.host}`;
  const objectUrl = (key: string) => `${bucketUrl}/${encodeURIComponent(key)}`;

  return {
    async put(key, bytes) {
      const response = await client.fetch(objectUrl(key), {
        method: 'PUT',
        body: new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length),
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
      });
      if (!response.ok) throw await failed(response, 'put');
      await response.body?.cancel();
    },
    async get(key) {
      const response = await client.fetch(objectUrl(key));
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok || !response.body) throw await failed(response, 'get');
      return {
        body: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
        size: Number(response.headers.get('content-length')),
      };
    },
    async delete(keys) {
      for (let start = 0; start < keys.length; start += DELETE_BATCH) {
        const objects = keys
          .slice(start, start + DELETE_BATCH)
          .map((key) => `<Object><Key>${escapeXml(key)}</Key></Object>`)
          .join('');
        const body = `<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>true</Quiet>${objects}</Delete>`;
        const response = await client.fetch(`${bucketUrl}/?delete`, {
          method: 'POST',
          body,
          // S3 requires an integrity header on a multi-object delete; MD5 is the one every store reads.
          headers: {
            'content-type': 'application/xml',
            'content-md5': createHash('md5').update(body).digest('base64'),
          },
        });
        const text = await response.text();
        // A batch may succeed as a whole and still fail for some keys, each reported as an <Error>.
        if (!response.ok || text.includes('<Error>')) throw failure(response.status, text, 'delete');
      }
    },
  };
}
