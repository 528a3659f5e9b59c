// Web push: the routes' payloads (the server's public key, a browser's subscription, the user's devices,
// a test notification) and the payload a service worker receives in a push (docs/notifications.md).
import { z } from 'zod';

/**
 * Unpadded base64url of exactly `bytes` bytes: as many characters as it takes, the first one fixed when the
 * first byte is (`B` for 0x04, an uncompressed point's prefix), and the last one carrying no stray bits.
 */
function base64urlOf(bytes: number, first = ''): RegExp {
  const characters = Math.ceil((bytes * 8) / 6);
  const spareBits = characters * 6 - bytes * 8;
  const last = { 0: 'A-Za-z0-9_-', 2: 'AEIMQUYcgkosw048', 4: 'AQgw' }[spareBits];
  return new RegExp(`^${first}[A-Za-z0-9_-]{${characters - 1 - first.length}}[${last}]$`);
}

/** A push endpoint: the push service's https: URL for one browser, without credentials. */
const pushEndpointSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
  }, 'expected the https:// URL of a push service, without credentials');

/** `PushSubscription.toJSON()` as browsers give it. */
export const pushSubscriptionSchema = z.strictObject({
  endpoint: pushEndpointSchema,
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    p256dh: z
      .string()
      .regex(
        base64urlOf(65, 'B'),
        'expected an uncompressed P-256 public key (65 bytes) as unpadded base64url',
      ),
    auth: z.string().regex(base64urlOf(16), 'expected a 16-byte authentication secret as unpadded base64url'),
  }),
});
export type PushSubscriptionJson = z.infer<typeof pushSubscriptionSchema>;

export const subscribePushRequestSchema = z.strictObject({
  subscription: pushSubscriptionSchema,
  label: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('What the user calls this device, e.g. "Work laptop".'),
});
export type SubscribePushRequest = z.infer<typeof subscribePushRequestSchema>;

export const pushDeviceSchema = z
  .strictObject({
    id: z.string(),
    label: z.string().nullable(),
    userAgent: z.string().nullable().describe('The browser that subscribed, as its User-Agent said.'),
    service: z.string().describe('The push service’s host, e.g. fcm.googleapis.com (never the endpoint).'),
    createdAt: z.iso.datetime(),
    lastSuccessAt: z.iso.datetime().nullable(),
    lastFailureAt: z.iso.datetime().nullable(),
    failures: z.number().int().min(0).describe('Pushes the service refused since it last accepted one.'),
  })
  .meta({ id: 'PushDevice' });
export type PushDevice = z.infer<typeof pushDeviceSchema>;

export const pushDeviceParamsSchema = z.strictObject({ id: z.uuid() });

export const pushKeyResponseSchema = z.strictObject({
  publicKey: z.string().describe('The VAPID public key, unpadded base64url: `applicationServerKey`.'),
});
export type PushKeyResponse = z.infer<typeof pushKeyResponseSchema>;

export const pushDeviceResponseSchema = z.strictObject({ device: pushDeviceSchema });
export type PushDeviceResponse = z.infer<typeof pushDeviceResponseSchema>;

export const pushDeviceListResponseSchema = z.strictObject({ devices: z.array(pushDeviceSchema) });
export type PushDeviceListResponse = z.infer<typeof pushDeviceListResponseSchema>;

export const pushTestResponseSchema = z.strictObject({
  delivered: z.number().int().min(0).describe('Devices whose push service accepted the notification.'),
  failed: z.number().int().min(0),
});
export type PushTestResponse = z.infer<typeof pushTestResponseSchema>;

/** What a service worker reads from a push (`event.data.json()`): decrypted, at most a few KB. */
export interface PushPayload {
  title: string;
  body: string;
  /** Notifications with one tag replace each other (one per conversation). */
  tag: string;
  /** Alerts again when replacing a shown notification of the same tag; otherwise the replacement is silent. */
  renotify: boolean;
  /** What a click opens: an absolute URL, or one relative to the app's scope (`./?conversation=…`). */
  url: string;
  /** The conversation the notification is about; empty for a test notification. */
  conversationId: string;
  /** The absolute URL of Parley's icon, for the notification (older servers sent none). */
  icon?: string;
}
