// Every error Parley reports to a client: one stable machine-readable code, the HTTP status it maps to,
// and the shape it travels in (REST body or socket ack). Transports map domain errors through this table only.
import { z } from 'zod';

export const errorStatus = {
  invalid_payload: 400,
  empty_message: 400,
  message_too_long: 400,
  invalid_query: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  idempotency_conflict: 409,
  name_taken: 409,
  /** A notification that cannot be sent here: no SMTP server configured, or no email address for the user. */
  not_configured: 409,
  /** A signed link (unsubscribe) that was altered or cut short. */
  invalid_link: 400,
  payload_too_large: 413,
  /** An upload over the configured size limit (`PARLEY_MAX_UPLOAD_BYTES`); nothing was stored. */
  attachment_too_large: 413,
  /** An upload whose bytes are none of the allowed types (docs/attachments.md); nothing was stored. */
  attachment_type_not_allowed: 415,
  /** A webhook URL or push endpoint that points at a loopback, private or other non-public address (or does not resolve). */
  destination_refused: 422,
  rate_limited: 429,
  /** A handshake refused because the user, or the client address, already holds as many sockets as allowed. */
  too_many_connections: 429,
  internal: 500,
  not_ready: 503,
  /** The database cannot be reached for now: retry later; nothing was stored. */
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

export const errorBodySchema = z
  .strictObject({
    code: z.enum(errorCodes),
    message: z.string(),
    issues: z
      .array(z.strictObject({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Field-level detail for `invalid_payload`: where the input was wrong and why.'),
    retryAfterMs: z
      .number()
      .optional()
      .describe('For `rate_limited` and `unavailable`: when a retry may succeed.'),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** REST error responses: `{ error: { code, message } }` with the status from `errorStatus`. */
export const errorResponseSchema = z.strictObject({ error: errorBodySchema }).meta({ id: 'ErrorResponse' });
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** Socket acks: success carries the result, failure carries the same error body as REST. */
export type Ack<T> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

/** A failure with a stable code, thrown by the domain and mapped once by each transport. */
export class ParleyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Pick<ErrorBody, 'issues' | 'retryAfterMs'> = {},
  ) {
    super(message);
    this.name = 'ParleyError';
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...this.details };
  }
}
