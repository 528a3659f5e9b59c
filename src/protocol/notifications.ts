// Notification settings (docs/notifications.md): what reaches a user beyond the badge, when, and how — a
// user's own choices over the defaults the company's admins set.
import { z } from 'zod';

export const notificationLevels = ['all', 'mentions', 'nothing'] as const;
/** `all`: every message of a direct or group conversation, and mentions anywhere; `mentions`; `nothing`. */
export type NotificationLevel = (typeof notificationLevels)[number];

const minuteOfDay = z.number().int().min(0).max(1439);

export const quietHoursSchema = z
  .strictObject({
    startMinute: minuteOfDay.describe('Minutes after midnight, in `timeZone`, when quiet hours begin.'),
    endMinute: minuteOfDay.describe('…and end (earlier than the start: they run past midnight).'),
    timeZone: z
      .string()
      .max(64)
      .refine((zone) => isTimeZone(zone), 'must be an IANA time zone, such as Europe/Berlin')
      .describe('An IANA time zone.'),
  })
  .refine((hours) => hours.startMinute !== hours.endMinute, 'quiet hours must not start when they end')
  .meta({ id: 'QuietHours' });
export type QuietHours = z.infer<typeof quietHoursSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const emailDelaySeconds = z.number().int().min(60).max(86_400);

export const notificationSettingsSchema = z
  .strictObject({
    level: z.enum(notificationLevels),
    emailEnabled: z.boolean().describe('One email digest per conversation when something stays unread.'),
    emailDelaySeconds: emailDelaySeconds.describe('How long a message stays unread before the email.'),
    pushEnabled: z.boolean().describe('Browser push on the devices the user turned it on for.'),
    quietHours: quietHoursSchema.nullable().describe('Push and email wait for their end.'),
    hasEmailAddress: z.boolean().describe('Without one (the host sends none) no email can be sent.'),
  })
  .meta({ id: 'NotificationSettings' });
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/** A change to one's settings: what is left out stays; `null` goes back to the default (or no quiet hours). */
export const notificationSettingsUpdateSchema = z
  .strictObject({
    level: z.enum(notificationLevels).nullable(),
    emailEnabled: z.boolean().nullable(),
    emailDelaySeconds: emailDelaySeconds.nullable(),
    pushEnabled: z.boolean().nullable(),
    quietHours: quietHoursSchema.nullable(),
  })
  .partial()
  .meta({ id: 'NotificationSettingsUpdate' });
export type NotificationSettingsUpdate = z.infer<typeof notificationSettingsUpdateSchema>;

export const notificationDefaultsSchema = z
  .strictObject({
    level: z.enum(notificationLevels),
    emailEnabled: z.boolean(),
    emailDelaySeconds: emailDelaySeconds,
    pushEnabled: z.boolean(),
  })
  .meta({ id: 'NotificationDefaults' });
export type NotificationDefaults = z.infer<typeof notificationDefaultsSchema>;

export const notificationDefaultsUpdateSchema = notificationDefaultsSchema
  .partial()
  .meta({ id: 'NotificationDefaultsUpdate' });
export type NotificationDefaultsUpdate = z.infer<typeof notificationDefaultsUpdateSchema>;

export const notificationSettingsResponseSchema = z.strictObject({ settings: notificationSettingsSchema });
export type NotificationSettingsResponse = z.infer<typeof notificationSettingsResponseSchema>;
export const notificationDefaultsResponseSchema = z.strictObject({ defaults: notificationDefaultsSchema });
export type NotificationDefaultsResponse = z.infer<typeof notificationDefaultsResponseSchema>;

export const testNotificationResponseSchema = z.strictObject({
  sent: z.literal(true).describe('Handed to the mail server; it arrives as the digests do.'),
});

export const unsubscribeQuerySchema = z.strictObject({
  token: z.string().min(1).max(2048).describe('The signed token of the link in the email.'),
});

/**
 * A reply to a digest as a host's mail provider relays it (inbound parse webhooks): the whole message as
 * received, so that Parley checks its DKIM signature itself, and its envelope.
 */
export const inboundEmailRequestSchema = z
  .strictObject({
    raw: z.base64().describe('The message as received (RFC 5322), base64-encoded.'),
    recipients: z.array(z.email()).min(1).max(50).describe('The envelope recipients (RCPT TO).'),
    remoteAddress: z.union([z.ipv4(), z.ipv6()]).optional().describe('The sending server, for SPF.'),
    helo: z.string().max(255).optional(),
    mailFrom: z.string().max(320).optional().describe('The envelope sender (MAIL FROM).'),
  })
  .meta({ id: 'InboundEmailRequest' });

export const inboundEmailResponseSchema = z
  .strictObject({
    outcome: z.enum(['posted', 'refused']),
    messageId: z.string().optional().describe('For `posted`: the message it became.'),
    reason: z
      .string()
      .optional()
      .describe('For `refused`: why; the user was told in a direct message from Parley.'),
  })
  .meta({ id: 'InboundEmailResponse' });
