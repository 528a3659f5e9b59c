// The attachment settings: where files are stored (`PARLEY_STORAGE_URL`), how large they may be, how long
// unclaimed uploads are kept, and the key signed download URLs are signed with.
import { hkdfSync, randomBytes } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { StorageSettings } from '../domain/attachments/storage.ts';
import type { EnvironmentValues } from './environment.ts';

export interface AttachmentSettings {
  storage: StorageSettings;
  maxUploadBytes: number;
  /** Uploads no message has claimed are deleted once this old. */
  unclaimedMaxAgeMs: number;
  sweepIntervalMs: number;
  signedUrlTtlMs: number;
  /** HMAC key of signed download URLs: the same on every node that shares the secret it is derived from. */
  urlSigningKey: Buffer;
}

const S3_QUERY_KEYS = new Set(['region', 'forcePathStyle']);

/**
 * `PARLEY_STORAGE_URL`: `file:///absolute/dir`, or `s3://KEY:SECRET@host[:port]/bucket?region=…&forcePathStyle=…`
 * (`s3+http://` for a store reached over plain HTTP on the operator's own network). Credentials are
 * percent-encoded; a malformed value refuses to start, and the message never repeats the secret.
 */
export const storageUrl = z.string().transform((value, context): StorageSettings => {
  const refuse = (message: string) => {
    context.issues.push({ code: 'custom', input: '(hidden: it may hold a secret)', message });
    return z.NEVER;
  };
  if (!URL.canParse(value))
    return refuse('expected file:///dir or s3://KEY:SECRET@host[:port]/bucket?region=REGION');
  const url = new URL(value);
  if (url.protocol === 'file:') {
    const dir = decodeURIComponent(url.pathname);
    if (url.host !== '' || url.search !== '' || !isAbsolute(dir) || dir === '/')
      return refuse('expected file:///absolute/directory');
    return { kind: 'local', dir };
  }
  if (url.protocol !== 's3:' && url.protocol !== 's3+http:')
    return refuse(`unknown scheme ${url.protocol} (expected file:, s3: or s3+http:)`);
  const bucket = decodeURIComponent(url.pathname.replace(/^\/|\/$/g, ''));
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    return refuse('expected one bucket name as the path, e.g. s3://KEY:SECRET@s3.example.com/parley-files');
  if (url.username === '' || url.password === '')
    return refuse(
      'expected the access key and secret as s3://ACCESS_KEY:SECRET@host/bucket (percent-encoded)',
    );
  const unknown = [...url.searchParams.keys()].filter((key) => !S3_QUERY_KEYS.has(key));
  if (unknown.length > 0)
    return refuse(`unknown parameter ${unknown.join(', ')} (expected region, forcePathStyle)`);
  const pathStyle = url.searchParams.get('forcePathStyle') ?? 'false';
  if (pathStyle !== 'true' && pathStyle !== 'false') return refuse('forcePathStyle: expected true or false');
  return {
    kind: 's3',
    endpoint: `${url.protocol === 's3+http:' ? 'http' : 'https'}://${url.host}`,
    bucket,
    region: url.searchParams.get('region') || 'us-east-1',
    accessKeyId: decodeURIComponent(url.username),
    secretAccessKey: decodeURIComponent(url.password),
    forcePathStyle: pathStyle === 'true',
  };
});

/**
 * Signed URLs must verify on every node and across a restart, so their key comes from a secret the nodes
 * share: PARLEY_URL_SIGNING_SECRET, else the host token secret, else the demo's. HKDF with a label of its
 * own keeps it distinct from (and says nothing about) the secret it comes from. A JWKS-only deployment
 * without PARLEY_URL_SIGNING_SECRET gets a key of this process only.
 */
function urlSigningKey(values: EnvironmentValues, demoSecret: string | undefined): Buffer {
  const secret = values.PARLEY_URL_SIGNING_SECRET ?? values.PARLEY_JWT_SECRET ?? demoSecret;
  if (secret === undefined) return randomBytes(32);
  return Buffer.from(hkdfSync('sha256', secret, 'parley', 'attachment download urls', 32));
}

export function attachmentSettings(
  values: EnvironmentValues,
  demoSecret: string | undefined,
): AttachmentSettings {
  return {
    storage: values.PARLEY_STORAGE_URL ?? {
      kind: 'local',
      dir: join(values.PARLEY_DATA_DIR, 'attachments'),
    },
    maxUploadBytes: values.PARLEY_MAX_UPLOAD_BYTES,
    unclaimedMaxAgeMs: values.PARLEY_UNCLAIMED_UPLOAD_MAX_AGE_S * 1000,
    sweepIntervalMs: values.PARLEY_UPLOAD_SWEEP_INTERVAL_MS,
    signedUrlTtlMs: values.PARLEY_SIGNED_URL_TTL_S * 1000,
    urlSigningKey: urlSigningKey(values, demoSecret),
  };
}
