// Outgoing webhooks: the events a host can subscribe to, its registration payloads and the body Parley POSTs.
import { z } from 'zod';
import { httpUrlSchema } from './http-url.ts';
import type { ConversationKind, Message } from './models.ts';

/**
 * Every event a webhook can subscribe to. `message.deleted` carries the tombstone: a receiver that kept
 * the text of `message.created` should erase it.
 */
export const webhookEventTypes = ['message.created', 'message.deleted'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

export const createWebhookRequestSchema = z.strictObject({
  url: httpUrlSchema,
  events: z
    .array(z.enum(webhookEventTypes))
    .min(1)
    .max(webhookEventTypes.length * 2)
    .transform((events) => [...new Set(events)]),
});
export type CreateWebhookRequest = z.infer<typeof createWebhookRequestSchema>;

export const webhookParamsSchema = z.strictObject({ id: z.string().min(1).max(200) });

export const webhookDeliveriesQuerySchema = z.strictObject({
  /** Only deliveries older than this one (its id): the next page of the log. */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type WebhookDeliveriesQuery = z.infer<typeof webhookDeliveriesQuerySchema>;

export const webhookSchema = z
  .strictObject({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(webhookEventTypes)),
    createdBy: z.string(),
    createdAt: z.string(),
    disabledAt: z
      .string()
      .nullable()
      .describe(
        'Set once the webhook is disabled: it gets no new deliveries and its pending ones are given up.',
      ),
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof webhookSchema>;

/** Only the creation answer carries the secret; it is never shown again. */
export const createdWebhookSchema = webhookSchema.extend({ secret: z.string() });
export type CreatedWebhook = z.infer<typeof createdWebhookSchema>;

/** One entry of a webhook's delivery log. */
export const webhookDeliverySchema = z
  .strictObject({
    id: z.string(),
    event: z.enum(webhookEventTypes),
    status: z.enum(webhookDeliveryStatuses),
    attempts: z.number().int().describe('POSTs made so far, the one in flight included.'),
    lastStatus: z
      .number()
      .int()
      .nullable()
      .describe(
        'The HTTP status of the last attempt; null when it got no response (network error, timeout).',
      ),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    nextAttemptAt: z
      .string()
      .nullable()
      .describe('When the next attempt is due; null once delivered or failed.'),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const webhookResponseSchema = z.strictObject({ webhook: webhookSchema });
export type WebhookResponse = z.infer<typeof webhookResponseSchema>;
export const createdWebhookResponseSchema = z.strictObject({ webhook: createdWebhookSchema });
export type CreatedWebhookResponse = z.infer<typeof createdWebhookResponseSchema>;
export const webhookListResponseSchema = z.strictObject({ webhooks: z.array(webhookSchema) });
export type WebhookListResponse = z.infer<typeof webhookListResponseSchema>;
export const webhookDeliveryListResponseSchema = z.strictObject({
  deliveries: z.array(webhookDeliverySchema).describe('Latest first.'),
});
export type WebhookDeliveryListResponse = z.infer<typeof webhookDeliveryListResponseSchema>;

/** Where a message was written, so that the receiver need not ask. */
export interface WebhookConversation {
  id: string;
  kind: ConversationKind;
  /** The host record the conversation is about (record threads and their notes). */
  record: { type: string; id: string } | null;
  /**
   * Who can read the message: the organisations admitted (channels, record threads), the one organisation
   * an internal note belongs to, or null for direct and group conversations (their members).
   */
  audienceOrgIds: string[] | null;
  /** True for a record thread's internal note: show it only to `audienceOrgIds`, never to the record's others. */
  internalNote: boolean;
}

/** What each event carries in `data`. */
export interface WebhookEventData {
  'message.created': { message: Message; conversation: WebhookConversation };
  'message.deleted': { message: Message; conversation: WebhookConversation };
}

/** The JSON body of every POST: the same for every attempt of one delivery. */
export interface WebhookDeliveryBody<E extends WebhookEventType = WebhookEventType> {
  /** The delivery id, also in the `parley-delivery` header: receivers de-duplicate retries by it. */
  id: string;
  type: E;
  /** ISO-8601 time the event was recorded for delivery. */
  createdAt: string;
  data: WebhookEventData[E];
}
