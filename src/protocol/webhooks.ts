// Outgoing webhooks: the events a host can subscribe to, its registration payloads and the body Parley POSTs.
import { z } from 'zod';
import { httpUrlSchema } from './http-url.ts';
import type { ConversationKind, Message } from './models.ts';

/** Every event a webhook can subscribe to. */
export const webhookEventTypes = ['message.created'] as const;
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

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEventType[];
  createdBy: string;
  createdAt: string;
  /** Set once the webhook is disabled: it gets no new deliveries and its pending ones are given up. */
  disabledAt: string | null;
}

/** Only the creation answer carries the secret; it is never shown again. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

/** One entry of a webhook's delivery log. */
export interface WebhookDelivery {
  id: string;
  event: WebhookEventType;
  status: WebhookDeliveryStatus;
  /** POSTs made so far, the one in flight included. */
  attempts: number;
  /** The HTTP status of the last attempt; null when it got no response (network error, timeout). */
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  /** When the next attempt is due; null once delivered or failed. */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

export interface WebhookResponse {
  webhook: Webhook;
}
export interface CreatedWebhookResponse {
  webhook: CreatedWebhook;
}
export interface WebhookListResponse {
  webhooks: Webhook[];
}
export interface WebhookDeliveryListResponse {
  /** Latest first. */
  deliveries: WebhookDelivery[];
}

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
