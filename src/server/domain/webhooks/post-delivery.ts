// One attempt at one delivery: the signed POST to the webhook's URL and what came of it. Sent with node:http
// rather than fetch, whose DNS cannot be hooked: the connection goes only to addresses the destination rule
// has checked (decision 007).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { urlToHttpOptions } from 'node:url';
import { DestinationRefused, type WebhookDestinations } from './destinations.ts';
import { signWebhook } from './signature.ts';

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
  destinations: WebhookDestinations;
  timeoutMs: number;
  /** Aborts the attempt early (the dispatcher stopping). */
  signal: AbortSignal;
}

/** POSTs the delivery; 2xx is delivered, anything else (status, network error, timeout) a failure. Never throws. */
export async function postDelivery(request: DeliveryRequest, options: PostOptions): Promise<DeliveryResult> {
  // A timer of our own rather than AbortSignal.timeout: combined through AbortSignal.any, Node may collect
  // the timeout signal while the request hangs, and the attempt then never ends.
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new DOMException(`no response within ${options.timeoutMs} ms`, 'TimeoutError')),
    options.timeoutMs,
  );
  const stop = () => abort.abort(options.signal.reason);
  if (options.signal.aborted) stop();
  else options.signal.addEventListener('abort', stop, { once: true });
  try {
    const status = await post(request, options.destinations, abort.signal);
    if (status >= 200 && status < 300) return { delivered: true, status };
    // Only the status: what a receiver answers may hold anything, and the log is read by every admin.
    return { delivered: false, status, error: `HTTP ${status}` };
  } catch (error) {
    return { delivered: false, status: null, error: describeFailure(error, abort.signal) };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', stop);
  }
}

/** Sends the POST and resolves with the answer's status; the answer's body is never read. */
async function post(request: DeliveryRequest, destinations: WebhookDestinations, signal: AbortSignal) {
  const url = new URL(request.url);
  const target = urlToHttpOptions(url);
  // net.connect hands a name to `lookup`, which checks what it resolves to, but connects to an IP literal
  // without asking anyone: that one is checked here.
  if (isIP(target.hostname ?? '') !== 0) await destinations.admit(url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const outgoing = send(
      {
        ...target,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Parley-Webhooks/1',
          'parley-event': request.event,
          'parley-delivery': request.deliveryId,
          'parley-timestamp': String(request.timestamp),
          'parley-signature': signWebhook(request.secret, request.timestamp, request.body),
        },
        // A connection of its own: a pooled one could have been opened under another rule.
        agent: false,
        lookup: destinations.lookup,
        signal,
      },
      // No redirect is followed (node:http never does): a 3xx is not a delivery.
      (response) => {
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** A short cause for the delivery log: never the receiver's words, at most CAUSE_CHARS characters. */
function describeFailure(error: unknown, signal: AbortSignal): string {
  // An aborted request fails with a generic AbortError; the reason says why (timeout, Parley stopping).
  const cause = signal.aborted ? signal.reason : error;
  const text =
    cause instanceof DestinationRefused
      ? cause.summary
      : (cause as Error | undefined)?.message || String(cause);
  return text.slice(0, CAUSE_CHARS);
}
