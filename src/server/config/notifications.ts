// The notification settings (docs/notifications.md): the SMTP server digests go through, the links they
// carry, how long the ladder waits before a push, and the key that signs unsubscribe links.
import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
  /** Reply by email: the domain of reply addresses, Parley's own SMTP listener for them, the size limit. */
  replies: {
    domain: string;
    /** With `tls`, STARTTLS is offered with that certificate (PEM); without, the endpoint is plain SMTP. */
    smtp: { host: string; port: number; tls: { key: string; cert: string } | null } | null;
    maxBytes: number;
    /** HMAC key of reply addresses. */
    signingKey: Buffer;
  } | null;
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
  PARLEY_REPLY_DOMAIN: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z0-9-]+$/i, 'expected a mail domain, such as reply.example.com')
    .optional(),
  PARLEY_INBOUND_SMTP_PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int()
    .min(0)
    .max(65_535)
    .optional(),
  PARLEY_INBOUND_SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  PARLEY_INBOUND_SMTP_TLS_KEY: z.string().min(1).optional(),
  PARLEY_INBOUND_SMTP_TLS_CERT: z.string().min(1).optional(),
  PARLEY_INBOUND_MAX_BYTES: z.coerce
    .number({ error: 'expected bytes' })
    .int()
    .min(10 * 1024)
    .max(25 * 1024 * 1024)
    .default(1024 * 1024),
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
  if (values.PARLEY_INBOUND_SMTP_PORT !== undefined && !values.PARLEY_REPLY_DOMAIN) {
    throw new ConfigError(
      'PARLEY_REPLY_DOMAIN: required with PARLEY_INBOUND_SMTP_PORT (the domain whose mail reaches that port)',
    );
  }
  const tlsFiles = [values.PARLEY_INBOUND_SMTP_TLS_KEY, values.PARLEY_INBOUND_SMTP_TLS_CERT];
  if (tlsFiles.some(Boolean) && values.PARLEY_INBOUND_SMTP_PORT === undefined) {
    throw new ConfigError(
      "PARLEY_INBOUND_SMTP_PORT: required with PARLEY_INBOUND_SMTP_TLS_KEY and _CERT (TLS of Parley's SMTP endpoint)",
    );
  }
  if (tlsFiles.some(Boolean) && !tlsFiles.every(Boolean)) {
    throw new ConfigError(
      `${values.PARLEY_INBOUND_SMTP_TLS_KEY ? 'PARLEY_INBOUND_SMTP_TLS_CERT' : 'PARLEY_INBOUND_SMTP_TLS_KEY'}: ` +
        "the endpoint's TLS needs both its private key and its certificate (PEM files)",
    );
  }
  if (values.PARLEY_REPLY_DOMAIN && !smtpUrl) {
    throw new ConfigError(
      'PARLEY_SMTP_URL: required with PARLEY_REPLY_DOMAIN (replies answer the emails Parley sends)',
    );
  }
  const derive = (label: string) =>
    Buffer.from(hkdfSync('sha256', secret ?? 'no email is sent', 'parley', label, 32));
  return {
    email:
      smtpUrl && values.PARLEY_MAIL_FROM
        ? { smtpUrl, from: values.PARLEY_MAIL_FROM, timeoutMs: values.PARLEY_SMTP_TIMEOUT_MS }
        : null,
    linkTemplate: values.PARLEY_LINK_TEMPLATE,
    recordLinkTemplate: values.PARLEY_RECORD_LINK_TEMPLATE ?? values.PARLEY_LINK_TEMPLATE,
    replies: values.PARLEY_REPLY_DOMAIN
      ? {
          domain: values.PARLEY_REPLY_DOMAIN.toLowerCase(),
          smtp:
            values.PARLEY_INBOUND_SMTP_PORT === undefined
              ? null
              : {
                  host: values.PARLEY_INBOUND_SMTP_HOST,
                  port: values.PARLEY_INBOUND_SMTP_PORT,
                  tls: inboundTls(values.PARLEY_INBOUND_SMTP_TLS_KEY, values.PARLEY_INBOUND_SMTP_TLS_CERT),
                },
          maxBytes: values.PARLEY_INBOUND_MAX_BYTES,
          signingKey: derive('reply addresses'),
        }
      : null,
    pushDelayMs: values.PARLEY_PUSH_DELAY_S * 1000,
    tickMs: values.PARLEY_NOTIFY_TICK_MS,
    signingKey: derive('unsubscribe links'),
  };
}

/** The SMTP endpoint's key and certificate, read from their PEM files at start; null without them. */
function inboundTls(keyFile: string | undefined, certFile: string | undefined) {
  if (!keyFile || !certFile) return null;
  const read = (variable: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`${variable}: cannot read ${file} (${(error as Error).message})`);
    }
  };
  return {
    key: read('PARLEY_INBOUND_SMTP_TLS_KEY', keyFile),
    cert: read('PARLEY_INBOUND_SMTP_TLS_CERT', certFile),
  };
}
