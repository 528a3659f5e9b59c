// Verifies the token the host signs for its logged-in user and reads Parley's claims out of it.
import { errors as joseErrors, jwtVerify } from 'jose';
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
  exp: z.number(),
});
export type HostClaims = z.infer<typeof hostClaimsSchema>;

export interface TokenVerifierOptions {
  /** HS256 shared secret. */
  secret: string | undefined;
  /** JWKS URL for RS256/ES256 tokens. */
  jwksUrl: string | undefined;
  /** Expected `iss` and `aud`, checked when set. */
  issuer: string | undefined;
  audience: string | undefined;
  clockToleranceSeconds: number;
}

export type TokenVerifier = (token: string) => Promise<HostClaims>;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  if (!options.secret) throw new Error('JWKS verification is not available yet: set PARLEY_JWT_SECRET');
  const key = new TextEncoder().encode(options.secret);
  return async (token) => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, key, {
        // Pinning the algorithm refuses `alg: none` and algorithm-confusion tokens.
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
        clockTolerance: options.clockToleranceSeconds,
      }));
    } catch (error) {
      throw new ParleyError('unauthorized', describeTokenFailure(error));
    }
    const claims = hostClaimsSchema.safeParse(payload);
    if (!claims.success) {
      const fields = claims.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new ParleyError('unauthorized', `token claims are missing or invalid: ${fields}`);
    }
    return claims.data;
  };
}

function describeTokenFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'token expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'token algorithm is not allowed';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `token claim "${error.claim}" is invalid`;
  return 'token is malformed';
}
