// Every variable Parley reads, with its type, bounds and default; `loadConfig` (config.ts) shapes the result.
import { z } from 'zod';
import { storageUrl } from './attachments.ts';
import { destinationAllowList } from './destination-allow-list.ts';
import { fullPageAppEnvironment } from './full-page-app.ts';
import { metricsEnvironment } from './metrics.ts';
import { notificationEnvironment } from './notifications.ts';
import { vapidPrivateKey, vapidPublicKey, vapidSubject } from './push.ts';
import { scaleOutEnvironment } from './scale-out.ts';
import { flag, port, relayInterval } from './values.ts';

export const environmentSchema = z.object({
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
  // Unset or 0: no limit. 0 cannot mean "editing is off", a setting that would read as a short window.
  PARLEY_EDIT_WINDOW_SECONDS: z.coerce
    .number({ error: 'expected seconds (0 or unset: no limit)' })
    .int()
    .min(0)
    .max(10 * 365 * 86_400)
    .default(0),
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
  PARLEY_RATE_BROADCASTS_PER_HOUR: z.coerce.number({ error: 'expected a number' }).int().min(1).default(10),
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
  PARLEY_WEBHOOK_ALLOW: destinationAllowList.optional(),
  PARLEY_VAPID_PUBLIC_KEY: vapidPublicKey.optional(),
  PARLEY_VAPID_PRIVATE_KEY: vapidPrivateKey.optional(),
  PARLEY_VAPID_SUBJECT: vapidSubject.optional(),
  PARLEY_PUSH_ALLOW: destinationAllowList.optional(),
  PARLEY_STORAGE_URL: storageUrl.optional(),
  PARLEY_MAX_UPLOAD_BYTES: z.coerce
    .number({ error: 'expected bytes' })
    .int()
    .min(1)
    // An upload is held in memory while it is checked and re-encoded (docs/attachments.md).
    .max(200 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  PARLEY_UNCLAIMED_UPLOAD_MAX_AGE_S: z.coerce
    .number({ error: 'expected seconds' })
    .int()
    .min(1)
    .default(24 * 60 * 60),
  PARLEY_UPLOAD_SWEEP_INTERVAL_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int()
    .min(100)
    .default(10 * 60 * 1000),
  PARLEY_SIGNED_URL_TTL_S: z.coerce
    .number({ error: 'expected seconds' })
    .int()
    .min(10)
    .max(24 * 60 * 60)
    .default(5 * 60),
  PARLEY_URL_SIGNING_SECRET: z
    .string()
    .min(32, 'expected at least 32 characters (use a random secret)')
    .optional(),
  PARLEY_PUBLIC_URL: z.url({ error: 'expected an absolute URL' }).optional(),
  ...notificationEnvironment,
  ...fullPageAppEnvironment,
  ...scaleOutEnvironment,
  ...metricsEnvironment,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'expected json or pretty' }).optional(),
  PARLEY_SHUTDOWN_GRACE_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int()
    .min(0)
    .max(120_000)
    .default(10_000),
});

export type ConfigInput = z.input<typeof environmentSchema>;

export type EnvironmentValues = z.infer<typeof environmentSchema>;
