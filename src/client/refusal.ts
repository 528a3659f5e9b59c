// A request Parley refused, over the socket (a refused acknowledgement) or REST (an error response): the one
// error type the SDK throws for refusals, so callers branch on `code` wherever the request went.
import type { ErrorBody, ErrorCode } from '../protocol/errors.ts';

export class RefusalError extends Error {
  /** The stable code from the protocol's error table. */
  readonly code: ErrorCode;
  /** For `rate_limited`: when a retry may succeed. */
  readonly retryAfterMs: number | undefined;

  /** @param body the server's error body, kept whole for its field-level `issues`. */
  constructor(readonly body: ErrorBody) {
    super(body.message);
    this.name = 'RefusalError';
    this.code = body.code;
    this.retryAfterMs = body.retryAfterMs;
  }
}
