// Parley's configuration: read once at start from the environment (and optionally a JSON file named by
// PARLEY_CONFIG), validated, and handed to the composition root as one typed object.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type AttachmentSettings, attachmentSettings } from './config/attachments.ts';
import { ConfigError } from './config/config-error.ts';
import { chooseDemoMode, type DemoMode } from './config/demo-mode.ts';
import { environmentSchema } from './config/environment.ts';
import { type FullPageApp, fullPageAppSettings } from './config/full-page-app.ts';
import { type MetricsSettings, metricsSettings } from './config/metrics.ts';
import { type NotificationConfig, notificationSettings } from './config/notifications.ts';
import { type PushSettings, pushSettings } from './config/push.ts';
import { type ScaleOutSettings, scaleOutSettings } from './config/scale-out.ts';
import type { DestinationAllowList } from './domain/outbound/destinations.ts';

export { ConfigError } from './config/config-error.ts';
export type { ConfigInput } from './config/environment.ts';

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
  /** How long after sending its author may edit a message; null for no limit (the default). */
  editWindowSeconds: number | null;
  /** Browser origins allowed to call the API and open sockets; null: any (demo mode without a list). */
  allowedOrigins: string[] | null;
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges); none by default. */
  trustedProxies: string[];
  access: { externalCrossOrgMessages: boolean };
  rateLimits: {
    eventsPer10s: number;
    sendsPer10s: number;
    connectsPer10s: number;
    writesPerMinute: number;
    broadcastsPerHour: number;
  };
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
  /** Where attachments are stored, their size limit, the sweep of unclaimed ones and signed URLs. */
  attachments: AttachmentSettings;
  /** Webhook destinations admitted besides public addresses (receivers on the operator's own network). */
  webhookAllow: DestinationAllowList;
  /** Email through SMTP, the links notifications carry, when a push goes out. */
  notifications: NotificationConfig;
  /** Web push: the VAPID keys and contact, and the push services admitted on the operator's network. */
  push: PushSettings;
  /** Redis shared by several nodes; one node keeps everything in its process. */
  scaleOut: ScaleOutSettings;
  /** How the full-page chat at `/` signs the user in; null: there is none (no host token route). */
  fullPageApp: FullPageApp | null;
  /** The Prometheus endpoint: its token and its own listener, if any; null: no endpoint. */
  metrics: MetricsSettings | null;
  publicUrl: string | undefined;
  logLevel: string;
  /** JSON lines for log collectors; readable lines for a person at a terminal (the demo's default). */
  logFormat: 'json' | 'pretty';
  shutdownGraceMs: number;
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
  // The demo login hands out tokens to anyone who asks: by default only this machine may ask.
  const host = values.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0');
  return {
    port: values.PORT,
    host,
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
    editWindowSeconds: values.PARLEY_EDIT_WINDOW_SECONDS === 0 ? null : values.PARLEY_EDIT_WINDOW_SECONDS,
    allowedOrigins:
      values.PARLEY_ALLOWED_ORIGINS?.map((origin) => new URL(origin).origin) ?? (demo ? null : []),
    trustedProxies: values.PARLEY_TRUSTED_PROXIES ?? [],
    access: { externalCrossOrgMessages: values.PARLEY_EXTERNAL_CROSS_ORG_MESSAGES },
    rateLimits: {
      eventsPer10s: values.PARLEY_RATE_EVENTS_PER_10S,
      sendsPer10s: values.PARLEY_RATE_SENDS_PER_10S,
      connectsPer10s: values.PARLEY_RATE_CONNECTS_PER_10S,
      writesPerMinute: values.PARLEY_RATE_WRITES_PER_MINUTE,
      broadcastsPerHour: values.PARLEY_RATE_BROADCASTS_PER_HOUR,
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
    attachments: attachmentSettings(values, demo?.secret),
    webhookAllow: values.PARLEY_WEBHOOK_ALLOW ?? { hosts: [], ranges: [] },
    notifications: notificationSettings(values, demo?.secret),
    push: pushSettings(values),
    fullPageApp: fullPageAppSettings(values, demo !== null),
    scaleOut: scaleOutSettings(values),
    metrics: metricsSettings(values),
    publicUrl: values.PARLEY_PUBLIC_URL,
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT ?? (demo ? 'pretty' : 'json'),
    shutdownGraceMs: values.PARLEY_SHUTDOWN_GRACE_MS,
  };
}
