// One outgoing POST to a destination the rule admits (webhook deliveries, web push), with a deadline. Sent
// with node:http rather than fetch, whose DNS cannot be hooked: the connection goes only to addresses the
// destination rule has checked (decision 007).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { urlToHttpOptions } from 'node:url';
import type { Destinations } from './destinations.ts';

export interface CheckedPost {
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface CheckedPostOptions {
  destinations: Destinations;
  timeoutMs: number;
  /** Aborts the request early (Parley stopping). */
  signal?: AbortSignal;
  /** Certificate authorities to trust instead of the system's, for a destination signed by a private one. */
  ca?: string;
}

/**
 * POSTs and resolves with the answer's status; the answer's body is never read (what a receiver answers may
 * hold anything). Rejects with the `DestinationRefused`, the network error, or the abort's reason: a
 * `TimeoutError` past `timeoutMs`.
 */
export async function checkedPost(url: URL, post: CheckedPost, options: CheckedPostOptions): Promise<number> {
  // A timer of our own rather than AbortSignal.timeout: combined through AbortSignal.any, Node may collect
  // the timeout signal while the request hangs, and the attempt then never ends.
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new DOMException(`no response within ${options.timeoutMs} ms`, 'TimeoutError')),
    options.timeoutMs,
  );
  const stop = () => abort.abort(options.signal?.reason);
  if (options.signal?.aborted) stop();
  else options.signal?.addEventListener('abort', stop, { once: true });
  try {
    return await send(url, post, options, abort.signal);
  } catch (error) {
    // An aborted request fails with a generic AbortError; the reason says why (timeout, Parley stopping).
    throw abort.signal.aborted ? abort.signal.reason : error;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
}

async function send(url: URL, post: CheckedPost, options: CheckedPostOptions, signal: AbortSignal) {
  const target = urlToHttpOptions(url);
  // net.connect hands a name to `lookup`, which checks what it resolves to, but connects to an IP literal
  // without asking anyone: that one is checked here.
  if (isIP(target.hostname ?? '') !== 0) await options.destinations.admit(url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const outgoing = request(
      {
        ...target,
        method: 'POST',
        headers: post.headers,
        // A connection of its own: a pooled one could have been opened under another rule.
        agent: false,
        lookup: options.destinations.lookup,
        signal,
        ...(options.ca ? { ca: options.ca } : {}),
      },
      // No redirect is followed (node:http never does): a 3xx is not an acceptance.
      (response) => {
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(post.body);
  });
}
