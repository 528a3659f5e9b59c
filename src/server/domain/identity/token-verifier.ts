// Verifies the token the host signs for its logged-in user and reads Parley's claims out of it.
// HS256 tokens meet the shared secret, RS256/ES256 tokens the host's published JWKS
// (docs/decisions/004-host-tokens.md).
import {
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  errors as joseErrors,
  jwtVerify,
  type RemoteJWKSet,
} from 'jose';
import { z } from 'zod';
import { ParleyError } from '../../../protocol/errors.ts';
import { organizationKinds, roles } from '../../../protocol/models.ts';

export const hostClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320).optional(),
  org: z.string().min(1).max(100),
  /** Optional: how to create an organisation Parley has not seen before. */
  org_name: z.string().trim().min(1).max(200).optional(),
  org_kind: z.enum(organizationKinds).optional(),
  role: z.enum(roles),
  iat: z.number(),
  exp: z.number(),
});
export type HostClaims = z.infer<typeof hostClaimsSchema>;

export interface TokenVerifierOptions {
  /** HS256 secret shared with the host. */
  secret: string | undefined;
  /** HS256 secret of the demo login, for tokens whose header names `kid: "parley-demo"`. */
  demoSecret?: string | undefined;
  /** JWKS URL for RS256/ES256 tokens. */
  jwksUrl: string | undefined;
  /** Expected `iss` and `aud`, checked when set. */
  issuer: string | undefined;
  audience: string | undefined;
  clockToleranceSeconds: number;
  /** Tokens valid for longer than this (exp − iat), or issued longer ago, are refused (default: a day). */
  maxLifetimeSeconds?: number;
  /** How long a JWKS fetch may take before the token is refused as unverifiable (default 5 s). */
  jwksTimeoutMs?: number;
  /**
   * How long after a JWKS fetch an unknown `kid` may trigger another fetch (default 30 s). It bounds how
   * often forged `kid`s can make Parley call the host's identity provider.
   */
  jwksCooldownMs?: number;
}

/** A verified user token: its claims, and whether the demo login signed it rather than the host. */
export interface VerifiedToken extends HostClaims {
  signedByDemo: boolean;
}

export type TokenVerifier = (token: string) => Promise<VerifiedToken>;

const defaultMaxLifetimeSeconds = 24 * 60 * 60;
const defaultJwksTimeoutMs = 5_000;
const defaultJwksCooldownMs = 30_000;
/** A key set is a few kilobytes; an answer larger than this is not one and is not read further. */
const jwksMaxBytes = 256 * 1024;

/** The `kid` the demo login signs with, so that its tokens meet the demo secret and no other. */
export const DEMO_KEY_ID = 'parley-demo';

/**
 * Every token must say when it was issued (`iat`): profiles follow only a newer token than the one last
 * applied, and a token's lifetime (exp − iat) is capped (docs/access.md).
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const verify = createClaimsVerifier(options, hostClaimsSchema, ['exp', 'iat', 'sub']);
  return async (token) => {
    const claims = await verify(token);
    // Verified above, so the header is the one the signature covers.
    return { ...claims, signedByDemo: decodeProtectedHeader(token).kid === DEMO_KEY_ID };
  };
}

/**
 * Verifies any JWT the host signs (user tokens, record grants) with the configured keys and reads its
 * claims with `schema`; every failure is `unauthorized` with a short reason.
 */
export function createClaimsVerifier<S extends z.ZodType>(
  options: TokenVerifierOptions,
  schema: S,
  requiredClaims: string[],
): (token: string) => Promise<z.infer<S>> {
  const { algorithms, getKey } = createKeyResolver(options);
  const maxLifetimeSeconds = options.maxLifetimeSeconds ?? defaultMaxLifetimeSeconds;
  const verifyOptions: JWTVerifyOptions = {
    // Pinning the algorithms refuses `alg: none` and any algorithm no configured key is meant for.
    algorithms,
    requiredClaims,
    clockTolerance: options.clockToleranceSeconds,
    // Also refuses an `iat` in the future, which would otherwise outrank every later token of the user.
    maxTokenAge: maxLifetimeSeconds,
    issuer: options.issuer,
    audience: options.audience,
  };
  return async (token) => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, getKey, verifyOptions));
    } catch (error) {
      throw unauthorized(describeTokenFailure(error), error);
    }
    const { iat, exp } = payload as { iat?: number; exp?: number };
    if (iat !== undefined && exp !== undefined && exp - iat > maxLifetimeSeconds) {
      throw new ParleyError(
        'unauthorized',
        `token lifetime exceeds ${maxLifetimeSeconds} s (exp − iat); sign shorter-lived tokens`,
      );
    }
    const claims = schema.safeParse(payload);
    if (!claims.success) {
      const fields = claims.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new ParleyError('unauthorized', `token claims are missing or invalid: ${fields}`);
    }
    return claims.data;
  };
}

/** The host's published keys could not be obtained: Parley's or the host's problem, not the token's. */
class JwksUnavailableError extends Error {
  override name = 'JwksUnavailableError';
}

function createKeyResolver(options: TokenVerifierOptions): {
  algorithms: string[];
  getKey: JWTVerifyGetKey;
} {
  const secret = options.secret ? new TextEncoder().encode(options.secret) : undefined;
  const demoSecret = options.demoSecret ? new TextEncoder().encode(options.demoSecret) : undefined;
  // Keys are cached and refetched when a token names an unknown `kid`, so the host can rotate keys
  // without Parley restarting.
  const jwks = options.jwksUrl
    ? withUnavailableKeysMarked(
        createRemoteJWKSet(new URL(options.jwksUrl), {
          timeoutDuration: options.jwksTimeoutMs ?? defaultJwksTimeoutMs,
          cooldownDuration: options.jwksCooldownMs ?? defaultJwksCooldownMs,
          [customFetch]: fetchCapped,
        }),
      )
    : undefined;
  if (!secret && !demoSecret && !jwks) throw new Error('token verification needs a secret or a JWKS URL');
  const algorithms = [...(secret || demoSecret ? ['HS256'] : []), ...(jwks ? ['RS256', 'ES256'] : [])];
  // Each algorithm meets only its own kind of key, so a public key can never serve as an HMAC secret
  // (algorithm confusion), even if the allow-list above were loosened.
  const getKey: JWTVerifyGetKey = async (header, token) => {
    // The demo's key and the operator's never stand in for each other.
    if (header.alg === 'HS256' && header.kid === DEMO_KEY_ID && demoSecret) return demoSecret;
    if (header.alg === 'HS256' && header.kid !== DEMO_KEY_ID && secret) return secret;
    if ((header.alg === 'RS256' || header.alg === 'ES256') && jwks) return jwks(header, token);
    throw new joseErrors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
  };
  return { algorithms, getKey };
}

/** Fetches the key set, reading at most `jwksMaxBytes` of the answer (the timeout's signal still applies). */
async function fetchCapped(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > jwksMaxBytes) {
    await response.body?.cancel();
    throw new Error(`the JSON Web Key Set answer is larger than ${jwksMaxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
    size += chunk.value.byteLength;
    if (size > jwksMaxBytes) {
      await reader?.cancel();
      throw new Error(`the JSON Web Key Set answer is larger than ${jwksMaxBytes} bytes`);
    }
    chunks.push(chunk.value);
  }
  return new Response(Buffer.concat(chunks), { status: response.status, headers: response.headers });
}

function withUnavailableKeysMarked(jwks: RemoteJWKSet): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey) throw error;
      if (error instanceof joseErrors.JWKSMultipleMatchingKeys) throw error;
      // Network failures, timeouts, non-200 answers and malformed sets all end here.
      throw new JwksUnavailableError('the JSON Web Key Set cannot be fetched or used', { cause: error });
    }
  };
}

function unauthorized(reason: string, cause: unknown): ParleyError {
  // The cause stays on the error for whoever logs it; clients only ever see the short reason.
  return Object.assign(new ParleyError('unauthorized', reason), { cause });
}

function describeTokenFailure(error: unknown): string {
  if (error instanceof JwksUnavailableError) return 'token keys cannot be fetched';
  if (error instanceof joseErrors.JWTExpired && error.claim === 'iat') {
    return 'token was issued longer ago than the token lifetime ceiling';
  }
  if (error instanceof joseErrors.JWTExpired) return 'token expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'token algorithm is not allowed';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return error.reason === 'missing'
      ? `token claim "${error.claim}" is required`
      : `token claim "${error.claim}" is invalid`;
  }
  // A `kid` the set does not hold, or a token without `kid` that several keys could match.
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return 'token signing key is unknown';
  }
  return 'token is malformed';
}
