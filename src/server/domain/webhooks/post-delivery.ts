// One attempt at one delivery: the signed POST to the webhook's URL and what came of it.
import { signWebhook } from './signature.ts';

/** How much of a refusing receiver's answer the delivery log keeps. */
const ERROR_BODY_CHARS = 300;

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
  fetch: typeof fetch;
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
    const response = await options.fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Parley-Webhooks/1',
        'parley-event': request.event,
        'parley-delivery': request.deliveryId,
        'parley-timestamp': String(request.timestamp),
        'parley-signature': signWebhook(request.secret, request.timestamp, request.body),
      },
      body: request.body,
      // A redirect is not a delivery: following it would send the signed payload somewhere not registered.
      redirect: 'manual',
      signal: abort.signal,
    });
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel();
      return { delivered: true, status: response.status };
    }
    // The status decides; a body that cannot be read only costs the log its excerpt.
    const excerpt = await readExcerpt(response).catch(() => '');
    return {
      delivered: false,
      status: response.status,
      error: `HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
    };
  } catch (error) {
    return { delivered: false, status: null, error: describeFailure(error, options.timeoutMs) };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', stop);
  }
}

/** The start of the answer's body, which often says why it refused; never more than a few hundred chars. */
async function readExcerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  while (text.length < ERROR_BODY_CHARS) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  await reader.cancel();
  return text.slice(0, ERROR_BODY_CHARS).trim();
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = error as { name?: string; message?: string; cause?: unknown };
  if (name === 'TimeoutError') return `no response within ${timeoutMs} ms`;
  // fetch reports network failures as "fetch failed" with the real reason (ECONNREFUSED, …) as the cause.
  const reason = (cause as { message?: string } | undefined)?.message;
  return reason ? `${message}: ${reason}` : (message ?? String(error));
}
