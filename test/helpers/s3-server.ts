// A local S3-compatible server (s3rver) on 127.0.0.1 and a random port, with one bucket, whose objects the
// tests can list; it checks request signatures as S3 does. s3rver's own credentials are S3RVER:S3RVER.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface LocalS3 {
  /** PARLEY_STORAGE_URL for the bucket. */
  storageUrl: string;
  /** The keys of the objects in the bucket. */
  keys(): string[];
  close(): Promise<void>;
}

export async function startLocalS3(bucket = 'parley-test'): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'parley-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    storageUrl: `s3+http://S3RVER:S3RVER@127.0.0.1:${port}/${bucket}?region=us-east-1&forcePathStyle=true`,
    // s3rver keeps each object as `<key>._S3rver_object` (and its metadata beside it) in a folder per bucket.
    keys: () =>
      readdirSync(join(directory, bucket))
        .filter((name) => name.endsWith('._S3rver_object'))
        .map((name) => name.replace(/\._S3rver_object$/, '')),
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
