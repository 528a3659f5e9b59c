// Parley's configuration: read once at start from the environment (and optionally a JSON file named by
// PARLEY_CONFIG), validated, and handed to the composition root as one typed object.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import type { WebhookAllowList } from './domain/webhooks/destinations.ts';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
    error: 'expected 1/0, true/false, yes/no or on/off',
  })
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

/** Whether `entry` is a host name exactly as a URL's host carries it (lowercase, punycode, not an address). */
function isUrlHostName(entry: string): boolean {
  return (
    !entry.startsWith('[') &&
    URL.canParse(`http://${entry}/`) &&
    new URL(`http://${entry}/`).hostname === entry
  );
}

/**
 * `PARLEY_WEBHOOK_ALLOW`: comma-separated host names and CIDR ranges; a bare address is a range of one.
 * A malformed range refuses to start rather than silently admitting nothing (or too much). Addresses must
 * be written in full: ipaddr.js would read `10.1/16` as 10.0.0.1/16, not the 10.1.0.0/16 meant.
 */
const webhookAllowList = z.string().transform((value, context): WebhookAllowList => {
  const allow: WebhookAllowList = { hosts: [], ranges: [] };
  for (const entry of value.split(',').map((part) => part.trim().toLowerCase())) {
    if (entry === '') continue;
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    if (family !== 0 && bits === undefined)
      allow.ranges.push(ipaddr.parseCIDR(`${address}/${family === 4 ? 32 : 128}`));
    else if (family !== 0 && rest.length === 0 && ipaddr.isValidCIDR(entry))
      allow.ranges.push(ipaddr.parseCIDR(entry));
    else if (bits === undefined && isUrlHostName(entry)) allow.hosts.push(entry);
    else
      context.issues.push({
        code: 'custom',
        input: value,
        message: `'${entry}' is neither a host name nor a CIDR range (expected e.g. hooks.internal.example, 10.20.0.0/16)`,
      });
  }
  return allow;
});

const port = z.coerce.number({ error: 'expected a port number' }).int().min(0).max(65_535);

/** How long relays of one kind (typing, presence) are coalesced; 0 relays every signal. */
const relayInterval = z.coerce
  .number({ error: 'expected milliseconds' })
  .int()
  .min(0)
  .max(60_000)
  .default(2000);

const environmentSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).optional(),
  PARLEY_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  PARLEY_DB_POOL_SIZE: z.coerce.number({ error: 'expected a number' }).int().min(1).max(200).default(10),
  PARLEY_JWT_SECRET: z.string().min(32, 'expected at least 32 characters (use a random secret)').optional(),
  PARLEY_JWKS_URL: z.url({ error: 'expected the URL of a JSON Web Key Set' }).optional(),
  PARLEY_JWT_ISSUER: z.string().min(1).optional(),
  PARLEY_JWT_AUDIENCE: z.string().min(1).optional(),
  PARLEY_JWT_ACCEPT_ANY_AUDIENCE_UNSAFE: flag.default(false),
  PARLEY_JWT_MAX_LIFETIME_S: z.coerce
    .number({ error: 'expected seconds' })
    .int()
    .min(60)
    .max(31 * 24 * 60 * 60)
    .default(24 * 60 * 60),
  PARLEY_JWT_CLOCK_TOLERANCE_S: z.coerce
    .number({ error: 'expected seconds' })
    .int()
    .min(0)
    .max(300)
    .default(5),
  PARLEY_DEMO: flag.optional(),
  PARLEY_MAX_MESSAGE_LENGTH: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .min(1)
    .max(100_000)
    .default(4000),
  PARLEY_ALLOWED_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ error: 'expected comma-separated origins such as https://dashboard.example.com' })))
    .optional(),
  PARLEY_TRUSTED_PROXIES: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((proxy) => proxy.trim())
        .filter(Boolean),
    )
    .optional(),
  PARLEY_EXTERNAL_CROSS_ORG_MESSAGES: flag.default(false),
  PARLEY_RATE_SENDS_PER_10S: z.coerce.number({ error: 'expected a number' }).int().min(1).default(20),
  PARLEY_RATE_CONNECTS_PER_10S: z.coerce.number({ error: 'expected a number' }).int().min(1).default(30),
  PARLEY_RATE_WRITES_PER_MINUTE: z.coerce.number({ error: 'expected a number' }).int().min(1).default(120),
  // A busy widget (a resume in a few syncs and some pages, a read mark per message seen, typing every 3 s,
  // searches as the user types) spends a few points a second; 30 a second on average, with a burst of 300,
  // leaves it far from the limit and still stops a loop or a script within seconds.
  PARLEY_RATE_EVENTS_PER_10S: z.coerce.number({ error: 'expected a number' }).int().min(1).default(300),
  PARLEY_SEND_BATCH_MAX: z.coerce.number({ error: 'expected a number' }).int().min(1).max(5000).default(500),
  PARLEY_SEND_QUEUE_MAX: z.coerce.number({ error: 'expected a number' }).int().min(1).default(2000),
  PARLEY_SEND_QUEUE_MAX_WAIT_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int()
    .min(1)
    .default(300),
  PARLEY_OVERLOAD_LAG_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(0).default(100),
  PARLEY_MAX_SOCKETS_PER_USER: z.coerce.number({ error: 'expected a number' }).int().min(1).default(20),
  // Everyone behind one office NAT shares an address: a few hundred people with a tab or two each.
  PARLEY_MAX_SOCKETS_PER_ADDRESS: z.coerce.number({ error: 'expected a number' }).int().min(1).default(500),
  PARLEY_TYPING_RELAY_MS: relayInterval,
  PARLEY_PRESENCE_RELAY_MS: relayInterval,
  PARLEY_SYNC_MAX_CATCH_UP: z.coerce.number({ error: 'expected a number' }).int().min(100).default(10_000),
  PARLEY_PRESENCE_TTL_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int()
    .min(300)
    .max(600_000)
    .default(45_000),
  PARLEY_WEBHOOK_ALLOW: webhookAllowList.optional(),
  PARLEY_PUBLIC_URL: z.url({ error: 'expected an absolute URL' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PARLEY_SHUTDOWN_GRACE_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int()
    .min(0)
    .max(120_000)
    .default(10_000),
});

export type ConfigInput = z.input<typeof environmentSchema>;

export interface Config {
  port: number;
  host: string;
  database: { driver: 'pglite'; dataDir: string } | { driver: 'postgres'; url: string; poolSize: number };
  jwt: {
    /** HS256 secret shared with the host's back-end; never used to sign anything in Parley. */
    secret: string | undefined;
    /** RS256/ES256 keys published by the host's identity provider. */
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
    clockToleranceSeconds: number;
    /** Tokens and grants valid for longer than this (exp − iat) are refused. */
    maxLifetimeSeconds: number;
  };
  /**
   * Demo mode: seeds demo data on an empty database and offers an unauthenticated login for the seeded demo
   * users, signed with a secret generated at start (never the operator's). Null outside demo mode.
   */
  demo: DemoMode | null;
  maxMessageLength: number;
  /** Browser origins allowed to call the API and open sockets; null: any (demo mode without a list). */
  allowedOrigins: string[] | null;
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges); none by default. */
  trustedProxies: string[];
  access: { externalCrossOrgMessages: boolean };
  rateLimits: { eventsPer10s: number; sendsPer10s: number; connectsPer10s: number; writesPerMinute: number };
  /** Sockets open at once on this node, per user and per client address. */
  connectionCaps: { perUser: number; perAddress: number };
  /** At most one typing signal per user and conversation, and one presence change per user, per interval. */
  relayIntervals: { typingMs: number; presenceMs: number };
  /** A client further behind than this in one conversation is told to reset it instead of replaying. */
  syncMaxCatchUp: number;
  /**
   * Group commit of sends: the most messages per statement; how many may wait, and for how long, before
   * further sends are refused (retryable); the event-loop lag past which sends are refused (0: never).
   */
  send: { maxBatch: number; maxWaiting: number; maxWaitMs: number; overloadLagMs: number };
  /** A connection counts as present this long after its node last refreshed it. */
  presenceTtlMs: number;
  /** Webhook destinations admitted besides public addresses (receivers on the operator's own network). */
  webhookAllow: WebhookAllowList;
  publicUrl: string | undefined;
  logLevel: string;
  shutdownGraceMs: number;
}

export interface DemoMode {
  /** Signs the demo login's tokens and the demo order system's grants; lives only in this process. */
  secret: string;
  /**
   * True when PARLEY_DEMO=1 asked for it; false when chosen because nothing said "production", which also
   * requires the embedded database to hold only demo data (checked once it is open).
   */
  explicit: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Variables from a PARLEY_CONFIG JSON file fill in what the environment leaves unset. */
function readConfigFile(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolve(path), 'utf8'));
  } catch (error) {
    throw new ConfigError(`PARLEY_CONFIG: cannot read ${path} as JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('PARLEY_CONFIG: expected a JSON object of variable names to values');
  }
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const fromFile = env.PARLEY_CONFIG ? readConfigFile(env.PARLEY_CONFIG) : {};
  // Empty variables count as unset, as in most shells' `VAR= command` idiom.
  const merged = Object.fromEntries(
    Object.entries({ ...fromFile, ...env }).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = environmentSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const values = result.data;
  const demo = chooseDemoMode(values);
  if (
    values.PARLEY_JWKS_URL &&
    !values.PARLEY_JWT_AUDIENCE &&
    !values.PARLEY_JWT_ACCEPT_ANY_AUDIENCE_UNSAFE
  ) {
    throw new ConfigError(
      'PARLEY_JWT_AUDIENCE: required with PARLEY_JWKS_URL, or any token the identity provider issues for ' +
        'another application logs in to Parley (set PARLEY_JWT_ACCEPT_ANY_AUDIENCE_UNSAFE=1 to accept that risk)',
    );
  }
  return {
    port: values.PORT,
    // The demo login hands out tokens to anyone who asks: by default only this machine may ask.
    host: values.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0'),
    database: values.DATABASE_URL
      ? { driver: 'postgres', url: values.DATABASE_URL, poolSize: values.PARLEY_DB_POOL_SIZE }
      : { driver: 'pglite', dataDir: values.PARLEY_DATA_DIR },
    jwt: {
      secret: values.PARLEY_JWT_SECRET,
      jwksUrl: values.PARLEY_JWKS_URL,
      issuer: values.PARLEY_JWT_ISSUER,
      audience: values.PARLEY_JWT_AUDIENCE,
      clockToleranceSeconds: values.PARLEY_JWT_CLOCK_TOLERANCE_S,
      maxLifetimeSeconds: values.PARLEY_JWT_MAX_LIFETIME_S,
    },
    demo,
    maxMessageLength: values.PARLEY_MAX_MESSAGE_LENGTH,
    allowedOrigins:
      values.PARLEY_ALLOWED_ORIGINS?.map((origin) => new URL(origin).origin) ?? (demo ? null : []),
    trustedProxies: values.PARLEY_TRUSTED_PROXIES ?? [],
    access: { externalCrossOrgMessages: values.PARLEY_EXTERNAL_CROSS_ORG_MESSAGES },
    rateLimits: {
      eventsPer10s: values.PARLEY_RATE_EVENTS_PER_10S,
      sendsPer10s: values.PARLEY_RATE_SENDS_PER_10S,
      connectsPer10s: values.PARLEY_RATE_CONNECTS_PER_10S,
      writesPerMinute: values.PARLEY_RATE_WRITES_PER_MINUTE,
    },
    connectionCaps: {
      perUser: values.PARLEY_MAX_SOCKETS_PER_USER,
      perAddress: values.PARLEY_MAX_SOCKETS_PER_ADDRESS,
    },
    relayIntervals: { typingMs: values.PARLEY_TYPING_RELAY_MS, presenceMs: values.PARLEY_PRESENCE_RELAY_MS },
    syncMaxCatchUp: values.PARLEY_SYNC_MAX_CATCH_UP,
    send: {
      maxBatch: values.PARLEY_SEND_BATCH_MAX,
      maxWaiting: values.PARLEY_SEND_QUEUE_MAX,
      maxWaitMs: values.PARLEY_SEND_QUEUE_MAX_WAIT_MS,
      overloadLagMs: values.PARLEY_OVERLOAD_LAG_MS,
    },
    presenceTtlMs: values.PARLEY_PRESENCE_TTL_MS,
    webhookAllow: values.PARLEY_WEBHOOK_ALLOW ?? { hosts: [], ranges: [] },
    publicUrl: values.PARLEY_PUBLIC_URL,
    logLevel: values.LOG_LEVEL,
    shutdownGraceMs: values.PARLEY_SHUTDOWN_GRACE_MS,
  };
}

type EnvironmentValues = z.infer<typeof environmentSchema>;

function isLoopback(host: string): boolean {
  return host === 'localhost' || (ipaddr.isValid(host) && ipaddr.parse(host).range() === 'loopback');
}

/**
 * Demo mode opens an unauthenticated login, so it is never a fallback for a missing secret in production:
 * only PARLEY_DEMO=1 asks for it, or nothing at all says "production" (no host keys, no DATABASE_URL, no
 * public URL, listening on loopback only). Anything else without host keys refuses to start.
 */
function chooseDemoMode(values: EnvironmentValues): DemoMode | null {
  const hostKeys = values.PARLEY_JWT_SECRET !== undefined || values.PARLEY_JWKS_URL !== undefined;
  const secret = () => randomBytes(32).toString('base64url');
  if (values.PARLEY_DEMO === true) return { secret: secret(), explicit: true };
  if (hostKeys) return null;
  const production = [
    values.PARLEY_DEMO === false && 'PARLEY_DEMO=0',
    values.DATABASE_URL && 'DATABASE_URL is set',
    values.PARLEY_PUBLIC_URL && 'PARLEY_PUBLIC_URL is set',
    values.HOST && !isLoopback(values.HOST) && `HOST=${values.HOST} is not a loopback address`,
  ].filter(Boolean);
  if (production.length === 0) return { secret: secret(), explicit: false };
  throw new ConfigError(
    `PARLEY_JWT_SECRET or PARLEY_JWKS_URL: one is required to verify host tokens (${production.join(', ')}); ` +
      'set PARLEY_DEMO=1 only to run the unauthenticated demo',
  );
}
