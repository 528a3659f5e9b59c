// Tokens from the host's own endpoint (`tokenUrl`), called with the host's cookies: the host decides who
// the user is, Parley never sees a password. A token is reused until shortly before it expires.
import { tokenExpiry } from './token-claims.ts';

export interface TokenUrlOptions {
  /** Fetch implementation; the browser's by default (which sends the host's cookies same-origin). */
  fetch?: typeof globalThis.fetch;
  /** Extra request options, e.g. headers a host needs. */
  init?: RequestInit;
  /** A token this close to expiry is not reused. */
  refreshMarginMs?: number;
  now?: () => number;
}

interface TokenAnswer {
  token: string;
  /** ISO time; when absent, read from the token's `exp`. */
  expiresAt?: string;
}

/** A `getToken` for the SDK that asks the host's `tokenUrl` and caches the answer until it nearly expires. */
export function tokenFromUrl(tokenUrl: string, options: TokenUrlOptions = {}): () => Promise<string> {
  const fetchToken = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 90_000;
  let cached: { token: string; expiresAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function request(): Promise<string> {
    const response = await fetchToken(tokenUrl, {
      credentials: 'include',
      cache: 'no-store',
      ...options.init,
    });
    if (!response.ok) throw new Error(`the host's token endpoint answered ${response.status}`);
    const answer = (await response.json()) as TokenAnswer;
    const expiresAt = answer.expiresAt ? Date.parse(answer.expiresAt) : (tokenExpiry(answer.token) ?? 0);
    cached = { token: answer.token, expiresAt };
    return answer.token;
  }

  return () => {
    if (cached && cached.expiresAt - margin > now()) return Promise.resolve(cached.token);
    // Concurrent callers (reconnect and refresh at once) share one request.
    inFlight ??= request().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
