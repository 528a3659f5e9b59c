// The web push settings: the VAPID key pair that signs Parley's pushes (`PARLEY_VAPID_PUBLIC_KEY`,
// `PARLEY_VAPID_PRIVATE_KEY`; generated and kept in the database when unset), the contact push services
// see (`PARLEY_VAPID_SUBJECT`) and the push services admitted on the operator's own network.
import { createECDH, ECDH } from 'node:crypto';
import { z } from 'zod';
import type { VapidKeys } from '../domain/notifications/vapid-keys.ts';
import type { DestinationAllowList } from '../domain/outbound/destinations.ts';
import { ConfigError } from './config-error.ts';
import type { EnvironmentValues } from './environment.ts';

export interface PushSettings {
  /** The operator's key pair; null: the one generated once and kept in the database. */
  vapidKeys: VapidKeys | null;
  /** A mailto: or https: URL push services may use to reach the operator. */
  subject: string;
  /** Push endpoints admitted besides public addresses (a push service on the operator's own network). */
  allow: DestinationAllowList;
}

const base64url = (bytes: number) => {
  // Unpadded base64url of exactly `bytes` bytes: the form VAPID keys are published in.
  const characters = Math.ceil((bytes * 8) / 6);
  return new RegExp(`^[A-Za-z0-9_-]{${characters}}$`);
};

/** An uncompressed P-256 point (65 bytes) as unpadded base64url; a point off the curve is refused too. */
export const vapidPublicKey = z
  .string()
  .regex(base64url(65), 'expected an uncompressed P-256 public key as unpadded base64url (87 characters)')
  .refine((value) => {
    try {
      ECDH.convertKey(Buffer.from(value, 'base64url'), 'prime256v1');
      return true;
    } catch {
      // convertKey throws for bytes that are no point of the curve: that is the answer, not a failure.
      return false;
    }
  }, 'not a point of the P-256 curve');

/** A P-256 private key (32 bytes) as unpadded base64url; the message never repeats the secret. */
export const vapidPrivateKey = z.string().transform((value, context) => {
  if (!base64url(32).test(value)) {
    context.issues.push({
      code: 'custom',
      input: '(hidden: a secret)',
      message: 'expected a P-256 private key as unpadded base64url (43 characters)',
    });
    return z.NEVER;
  }
  return value;
});

export const vapidSubject = z
  .string()
  .refine(
    (value) => URL.canParse(value) && ['mailto:', 'https:'].includes(new URL(value).protocol),
    'expected a mailto: address or an https: URL, e.g. mailto:ops@example.com',
  );

/** The public key `privateKey` stands for, or null when it is no valid P-256 private key. */
function publicKeyOf(privateKey: string): string | null {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
    return ecdh.getPublicKey('base64url');
  } catch {
    // setPrivateKey throws for 0 or a value past the curve's order: no key, which the caller reports.
    return null;
  }
}

/** Both keys or neither: one alone would sign pushes no subscription made with the other accepts. */
function operatorKeys(values: EnvironmentValues): VapidKeys | null {
  const { PARLEY_VAPID_PUBLIC_KEY: publicKey, PARLEY_VAPID_PRIVATE_KEY: privateKey } = values;
  if (publicKey === undefined && privateKey === undefined) return null;
  if (publicKey === undefined || privateKey === undefined) {
    const [missing, present] =
      publicKey === undefined
        ? ['PARLEY_VAPID_PUBLIC_KEY', 'PARLEY_VAPID_PRIVATE_KEY']
        : ['PARLEY_VAPID_PRIVATE_KEY', 'PARLEY_VAPID_PUBLIC_KEY'];
    throw new ConfigError(
      `${missing}: required with ${present} (set both, as \`npx web-push generate-vapid-keys\` prints them, or neither to let Parley keep its own)`,
    );
  }
  const derived = publicKeyOf(privateKey);
  if (derived === null) throw new ConfigError('PARLEY_VAPID_PRIVATE_KEY: not a valid P-256 private key');
  if (derived !== publicKey) {
    throw new ConfigError('PARLEY_VAPID_PRIVATE_KEY: not the private key of PARLEY_VAPID_PUBLIC_KEY');
  }
  return { publicKey, privateKey };
}

export function pushSettings(values: EnvironmentValues): PushSettings {
  const publicUrl = values.PARLEY_PUBLIC_URL ? new URL(values.PARLEY_PUBLIC_URL) : null;
  return {
    vapidKeys: operatorKeys(values),
    // Push services contact the operator about misbehaving pushes; the public URL is the best guess left.
    subject:
      values.PARLEY_VAPID_SUBJECT ??
      (publicUrl?.protocol === 'https:' ? publicUrl.origin : 'mailto:push@parley.invalid'),
    allow: values.PARLEY_PUSH_ALLOW ?? { hosts: [], ranges: [] },
  };
}
