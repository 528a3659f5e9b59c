// Signs host-style tokens for the demo login (and for tests and examples that act as a host).
import { SignJWT } from 'jose';
import type { OrganizationKind, User } from '../../protocol/models.ts';

export interface TokenSubject extends Pick<User, 'id' | 'displayName' | 'email' | 'orgId' | 'role'> {
  orgName?: string;
  orgKind?: OrganizationKind;
}

export async function signHostToken(
  secret: string,
  subject: TokenSubject,
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT({
    name: subject.displayName,
    ...(subject.email ? { email: subject.email } : {}),
    org: subject.orgId,
    ...(subject.orgName ? { org_name: subject.orgName } : {}),
    ...(subject.orgKind ? { org_kind: subject.orgKind } : {}),
    role: subject.role,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject.id)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

/** A record grant as a host signs it: this record, these organisations, for a few minutes. */
export async function signRecordGrant(
  secret: string,
  record: { type: string; id: string },
  orgs: string[],
  title: string,
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT({ typ: 'parley-record-grant', record, orgs, title })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}
