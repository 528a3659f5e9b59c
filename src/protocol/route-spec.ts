// What the REST catalogue says about one route, and the error codes every route of a kind may answer: the
// one description both the OpenAPI document and docs/protocol.md are generated from.
import type { z } from 'zod';
import { type ErrorCode, errorCodes } from './errors.ts';
import type { apiKeyScopes } from './rest.ts';

/**
 * Who may call a route: nobody in particular, a signed-in user (host token), an admin of the internal
 * organisation, a host back-end's API key, either a user or an API key on the same path, either a user
 * or a signed URL issued to one (downloads a browser opens without headers), or a metrics scraper
 * holding the operator's `PARLEY_METRICS_TOKEN`.
 */
export const routeAuths = [
  'none',
  'user',
  'admin',
  'apiKey',
  'userOrApiKey',
  'userOrSignedUrl',
  'metricsToken',
] as const;
export type RouteAuth = (typeof routeAuths)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  method: HttpMethod;
  /** Fastify's form: `/api/conversations/:id`. */
  path: string;
  summary: string;
  auth: RouteAuth;
  /** The API key scope the route requires (routes an API key may call). */
  scope?: (typeof apiKeyScopes)[number];
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The JSON answer by status; null for an answer without a body (204). */
  responses: Partial<Record<200 | 201 | 202 | 204, z.ZodType | null>>;
  /** Also answers `text/html` (with `?format=html`): what the page is. */
  html?: string;
  /** Takes a `multipart/form-data` body instead of JSON: what its parts are. */
  upload?: string;
  /** Answers 200 with a file's bytes instead of JSON: what they are. */
  file?: string;
  /** Answers 200 with `text/plain` instead of JSON: what the text is. */
  text?: string;
  /** Codes this route answers besides those `errorsOf` adds for its auth and input. */
  errors: readonly ErrorCode[];
  /** Points of the user's event budget the request costs, when more than 1. */
  eventPoints?: number;
  /** Registered only in demo mode. */
  demo?: true;
  /** Registered only when metrics are served on Parley's port (`PARLEY_METRICS_TOKEN`, no metrics port). */
  metrics?: true;
}

const authErrors: Record<RouteAuth, readonly ErrorCode[]> = {
  none: [],
  user: ['unauthorized', 'rate_limited'],
  admin: ['unauthorized', 'forbidden', 'rate_limited'],
  apiKey: ['unauthorized', 'forbidden'],
  userOrApiKey: ['unauthorized', 'forbidden', 'rate_limited'],
  userOrSignedUrl: ['unauthorized', 'rate_limited'],
  metricsToken: ['unauthorized'],
};

/**
 * Every code the route may answer, in the order of `errorStatus`: its own, those of its authentication,
 * and `invalid_payload` when it reads any input. `internal` and `unavailable` (the database cannot be
 * reached) may answer any route and are not listed per route.
 */
export function errorsOf(route: RouteSpec): ErrorCode[] {
  const codes = new Set<ErrorCode>([...route.errors, ...authErrors[route.auth]]);
  if (route.params || route.query || route.body || route.upload) codes.add('invalid_payload');
  return errorCodes.filter((code) => codes.has(code));
}
