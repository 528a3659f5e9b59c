// Calls the running server's admin REST API — never the database — so every change passes the server's
// checks and reaches live sockets at once. The server's `{ error: { code, message } }` becomes an AdminApiError.
import type { ErrorResponse } from '../protocol/errors.ts';

export interface ApiCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under the server's URL, ids already encoded. */
  path: string;
  body?: unknown;
}

/** A failed call: the server's error code, or one of the CLI's own (`unreachable`, `timeout`, `http_<status>`). */
export class AdminApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

const requestTimeoutMs = 30_000;

/** The parsed JSON answer, or null for an answer without a body (204). */
export async function callAdminApi(baseUrl: string, token: string, call: ApiCall): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${call.path}`, {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (error) {
    throw unreachable(baseUrl, error);
  }
  const text = await response.text();
  const body = parseJson(text);
  if (!response.ok) {
    const failure = (body as Partial<ErrorResponse> | undefined)?.error;
    if (failure?.code) throw new AdminApiError(failure.code, failure.message ?? response.statusText);
    throw new AdminApiError(`http_${response.status}`, text.slice(0, 200) || response.statusText);
  }
  if (text === '') return null;
  if (body === undefined)
    throw new AdminApiError('bad_response', `expected JSON from ${baseUrl}${call.path}`);
  return body;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (empty, or a proxy's HTML page): the caller reports the raw text instead.
    return undefined;
  }
}

function unreachable(baseUrl: string, error: unknown): AdminApiError {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new AdminApiError('timeout', `no answer from ${baseUrl} within ${requestTimeoutMs / 1000} s`);
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  return new AdminApiError('unreachable', `cannot reach Parley at ${baseUrl} (${reason})`);
}
