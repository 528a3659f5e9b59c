// The attachment settings as an operator writes them: PARLEY_STORAGE_URL's forms, the refusals that name
// the variable without repeating its secret, and the key signed URLs share across nodes.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.ts';

const secret = 'a-secret-of-at-least-thirty-two-characters';
const load = (env: Record<string, string>) => loadConfig({ PARLEY_JWT_SECRET: secret, ...env });

describe('attachment settings', () => {
  it('keeps files under the data directory, 25 MB at most, unclaimed for a day, signed URLs for 5 minutes', () => {
    const { attachments } = load({ PARLEY_DATA_DIR: '/var/lib/parley' });
    expect(attachments).toMatchObject({
      storage: { kind: 'local', dir: '/var/lib/parley/attachments' },
      maxUploadBytes: 25 * 1024 * 1024,
      unclaimedMaxAgeMs: 24 * 60 * 60 * 1000,
      signedUrlTtlMs: 5 * 60 * 1000,
    });
  });

  it('reads an S3 URL: percent-encoded credentials, the bucket, region and path style', () => {
    const { storage } = load({
      PARLEY_STORAGE_URL:
        's3://AKIA123:se%2Fcr%2Bet@s3.eu-west-1.amazonaws.com/parley-files?region=eu-west-1',
    }).attachments;
    expect(storage).toEqual({
      kind: 's3',
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
      bucket: 'parley-files',
      region: 'eu-west-1',
      accessKeyId: 'AKIA123',
      secretAccessKey: 'se/cr+et',
      forcePathStyle: false,
    });
    expect(
      load({ PARLEY_STORAGE_URL: 's3+http://k:s@minio.internal:9000/files?forcePathStyle=true' }).attachments
        .storage,
    ).toMatchObject({ endpoint: 'http://minio.internal:9000', region: 'us-east-1', forcePathStyle: true });
    expect(load({ PARLEY_STORAGE_URL: 'file:///srv/parley-files' }).attachments.storage).toEqual({
      kind: 'local',
      dir: '/srv/parley-files',
    });
  });

  it.each([
    ['s3://k:hunter2-secret@host', 'bucket'],
    ['s3://k:hunter2-secret@host/a/b', 'bucket'],
    ['s3://host/bucket', 'access key'],
    ['s3://k:hunter2-secret@host/bucket?regoin=x', 'unknown parameter regoin'],
    ['s3://k:hunter2-secret@host/bucket?forcePathStyle=yes', 'forcePathStyle'],
    ['ftp://k:hunter2-secret@host/bucket', 'unknown scheme'],
    ['file://relative/dir', 'absolute'],
    ['not a url hunter2-secret', 'expected'],
  ])('refuses PARLEY_STORAGE_URL=%s naming the variable, never the secret', (value, why) => {
    const refusal = () => load({ PARLEY_STORAGE_URL: value });
    expect(refusal).toThrow(ConfigError);
    expect(refusal).toThrow(/PARLEY_STORAGE_URL: /);
    expect(refusal).toThrow(why);
    expect(refusal).not.toThrow(/hunter2/);
  });

  it('derives the URL signing key from the shared secret, so that every node signs alike', () => {
    const key = (env: Record<string, string>) => load(env).attachments.urlSigningKey.toString('hex');
    expect(key({})).toBe(key({}));
    expect(key({})).not.toBe(Buffer.from(secret).toString('hex'));
    expect(key({ PARLEY_URL_SIGNING_SECRET: 'another-secret-of-thirty-two-characters' })).not.toBe(key({}));
  });
});
