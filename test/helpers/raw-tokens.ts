// JWTs with exactly the claims and header a test gives, for tests of how tokens are checked: a claim left
// out, an algorithm or key that must be refused, a lifetime past the ceiling. Tokens a host would really
// sign come from `tokenFor` in access.ts.
import { SignJWT } from 'jose';

export interface RawTokenOptions {
  /** HS256 unless told. */
  alg?: string;
  kid?: string;
  subject?: string;
  issuer?: string;
  audience?: string;
  /** Unix seconds; now unless told; `false` leaves `iat` out. */
  issuedAt?: number | false;
  /** Unix seconds or a jose time span such as '1h' (the default); `false` leaves `exp` out. */
  expiresAt?: number | string | false;
}

/** Signs `claims` with `key`: a shared secret, or the private key of an asymmetric algorithm. */
export function signClaims(
  key: string | CryptoKey,
  claims: Record<string, unknown>,
  options: RawTokenOptions = {},
): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({
    alg: options.alg ?? 'HS256',
    ...(options.kid ? { kid: options.kid } : {}),
  });
  if (options.subject !== undefined) jwt.setSubject(options.subject);
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  if (options.issuedAt !== false) jwt.setIssuedAt(options.issuedAt);
  if (options.expiresAt !== false) jwt.setExpirationTime(options.expiresAt ?? '1h');
  return jwt.sign(typeof key === 'string' ? new TextEncoder().encode(key) : key);
}
