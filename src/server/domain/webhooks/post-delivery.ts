// One attempt at one delivery: the signed POST to the webhook's URL and what came of it, sent only to an
// address the destination rule admits (outbound/checked-post.ts, decision 007).
import { checkedPost } from '../outbound/checked-post.ts';
import { DestinationRefused, type Destinations } from '../outbound/destinations.ts';
import { signWebhook } from './signature.ts';

/** How destination refusals name webhook deliveries and the variable that admits more of them. */
export const webhookRequests = { name: 'webhooks', allowVariable: 'PARLEY_WEBHOOK_ALLOW' };

/** The longest cause the delivery log keeps: enough for a status, an error code or a refusal. */
const CAUSE_CHARS = 200;

export interface DeliveryRequest {
  url: string;
  secret: string;
  deliveryId: string;
  event: string;
  /** The JSON body, exactly as signed. */
  body: string;
  /** Unix seconds; signed with the body so that a captured request cannot be replayed later. */
  timestamp: number;
}

export type DeliveryResult =
  | { delivered: true; status: number }
  | { delivered: false; status: number | null; error: string };

export interface PostOptions {
  destinations: Destinations;
  timeoutMs: number;
  /** Aborts the attempt early (the dispatcher stopping). */
  signal: AbortSignal;
}

/** POSTs the delivery; 2xx is delivered, anything else (status, network error, timeout) a failure. Never throws. */
export async function postDelivery(request: DeliveryRequest, options: PostOptions): Promise<DeliveryResult> {
  const post = {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Parley-Webhooks/1',
      'parley-event': request.event,
      'parley-delivery': request.deliveryId,
      'parley-timestamp': String(request.timestamp),
      'parley-signature': signWebhook(request.secret, request.timestamp, request.body),
    },
    body: request.body,
  };
  try {
    const status = await checkedPost(new URL(request.url), post, options);
    if (status >= 200 && status < 300) return { delivered: true, status };
    // Only the status: what a receiver answers may hold anything, and the log is read by every admin.
    return { delivered: false, status, error: `HTTP ${status}` };
  } catch (error) {
    return { delivered: false, status: null, error: describeFailure(error) };
  }
}

/** A short cause for the delivery log: never the receiver's words, at most CAUSE_CHARS characters. */
function describeFailure(cause: unknown): string {
  const text =
    cause instanceof DestinationRefused
      ? cause.summary
      : (cause as Error | undefined)?.message || String(cause);
  return text.slice(0, CAUSE_CHARS);
}
