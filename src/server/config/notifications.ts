// The notification settings (docs/notifications.md): the SMTP server digests go through, the links they
// carry, how long the ladder waits before a push, and the key that signs unsubscribe links.
import { hkdfSync } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import type { EnvironmentValues } from './environment.ts';

export interface NotificationConfig {
  /** Null: no email is sent (the ladder stops at push). */
  email: {
    smtpUrl: string;
    from: string;
    timeoutMs: number;
  } | null;
  /**
   * Where a notification's link opens a conversation (`{conversationId}`; for record threads also
   * `{recordType}` and `{recordId}`); unset: Parley's own full-page chat.
   */
  linkTemplate: string | undefined;
  recordLinkTemplate: string | undefined;
  pushDelayMs: number;
  tickMs: number;
  /** HMAC key of unsubscribe links: the same on every node and across restarts. */
  signingKey: Buffer;
}

export const notificationEnvironment = {
  PARLEY_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL (smtp://user:pass@host:587)')
    .optional(),
  PARLEY_MAIL_FROM: z.string().min(3).optional(),
  PARLEY_SMTP_TIMEOUT_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(100).default(10_000),
  PARLEY_LINK_TEMPLATE: z
    .string()
    .includes('{conversationId}', { error: 'must contain {conversationId}' })
    .optional(),
  PARLEY_RECORD_LINK_TEMPLATE: z.string().min(1).optional(),
  PARLEY_PUSH_DELAY_S: z.coerce.number({ error: 'expected seconds' }).int().min(0).max(3600).default(30),
  PARLEY_NOTIFY_TICK_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int()
    .min(50)
    .max(60_000)
    .default(1000),
};

/**
 * Without PARLEY_PUBLIC_URL (the demo) links point where this process listens, which works on this machine
 * only: a deployment that sends email must say where it is reached.
 */
export function notificationSettings(
  values: EnvironmentValues,
  demoSecret: string | undefined,
): NotificationConfig {
  const smtpUrl = values.PARLEY_SMTP_URL;
  if (smtpUrl && !values.PARLEY_MAIL_FROM) {
    throw new ConfigError('PARLEY_MAIL_FROM: required with PARLEY_SMTP_URL (the address digests come from)');
  }
  if (smtpUrl && !values.PARLEY_PUBLIC_URL && !demoSecret) {
    throw new ConfigError(
      'PARLEY_PUBLIC_URL: required with PARLEY_SMTP_URL, or the links in emails point at this machine',
    );
  }
  const secret = values.PARLEY_URL_SIGNING_SECRET ?? values.PARLEY_JWT_SECRET ?? demoSecret;
  if (smtpUrl && secret === undefined) {
    throw new ConfigError(
      'PARLEY_URL_SIGNING_SECRET: required with PARLEY_SMTP_URL when tokens are verified by PARLEY_JWKS_URL, ' +
        'or unsubscribe links stop working at the next restart',
    );
  }
  return {
    email:
      smtpUrl && values.PARLEY_MAIL_FROM
        ? { smtpUrl, from: values.PARLEY_MAIL_FROM, timeoutMs: values.PARLEY_SMTP_TIMEOUT_MS }
        : null,
    linkTemplate: values.PARLEY_LINK_TEMPLATE,
    recordLinkTemplate: values.PARLEY_RECORD_LINK_TEMPLATE ?? values.PARLEY_LINK_TEMPLATE,
    pushDelayMs: values.PARLEY_PUSH_DELAY_S * 1000,
    tickMs: values.PARLEY_NOTIFY_TICK_MS,
    signingKey: Buffer.from(
      hkdfSync('sha256', secret ?? 'no email is sent', 'parley', 'unsubscribe links', 32),
    ),
  };
}
