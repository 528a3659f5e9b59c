// Signs host-style tokens for the demo login, the operator CLI's `parley token`, and tests and examples
// that act as a host.
import { SignJWT } from 'jose';
import type { OrganizationKind, User } from '../../protocol/models.ts';

export interface TokenSubject extends Pick<User, 'id' | 'displayName' | 'email' | 'orgId' | 'role'> {
  orgName?: string;
  orgKind?: OrganizationKind;
  /** Record ids by type the user may open: the widget links references to them (docs/records.md). */
  records?: Record<string, string[]>;
}

export interface SigningOptions {
  /** Names the key in the header (the demo login's tokens carry the demo key's id). */
  keyId?: string;
  /** Unix seconds; now by default. */
  issuedAt?: number;
  /** The `iss` and `aud` claims, for a server that checks them (PARLEY_JWT_ISSUER, PARLEY_JWT_AUDIENCE). */
  issuer?: string | undefined;
  audience?: string | undefined;
}

function signed(claims: Record<string, unknown>, ttlSeconds: number, options: SigningOptions) {
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const token = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(options.keyId ? { kid: options.keyId } : {}) })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds);
  if (options.issuer) token.setIssuer(options.issuer);
  if (options.audience) token.setAudience(options.audience);
  return token;
}

export async function signHostToken(
  secret: string,
  subject: TokenSubject,
  ttlSeconds: number,
  options: SigningOptions = {},
): Promise<string> {
  const claims = {
    name: subject.displayName,
    ...(subject.email ? { email: subject.email } : {}),
    org: subject.orgId,
    ...(subject.orgName ? { org_name: subject.orgName } : {}),
    ...(subject.orgKind ? { org_kind: subject.orgKind } : {}),
    role: subject.role,
    ...(subject.records ? { records: subject.records } : {}),
  };
  return signed(claims, ttlSeconds, options).setSubject(subject.id).sign(new TextEncoder().encode(secret));
}

export interface RecordGrantClaims {
  record: { type: string; id: string };
  /** The organisations the grant admits. */
  orgs: string[];
  title?: string;
  url?: string;
  /** The one user who may use the grant; anyone of the named organisations when omitted. */
  userId?: string;
}

/** A record grant as a host signs it: this record, these organisations, for a few minutes. */
export async function signRecordGrant(
  secret: string,
  grant: RecordGrantClaims,
  ttlSeconds: number,
  options: SigningOptions = {},
): Promise<string> {
  const { record, orgs, title, url, userId } = grant;
  const builder = signed(
    { typ: 'parley-record-grant', record, orgs, ...(title ? { title } : {}), ...(url ? { url } : {}) },
    ttlSeconds,
    options,
  );
  return (userId ? builder.setSubject(userId) : builder).sign(new TextEncoder().encode(secret));
}
