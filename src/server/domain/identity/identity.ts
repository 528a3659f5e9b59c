// Turns a host token into a Parley user: verifies it, then creates or updates the user and organisation
// from its claims, so that nobody ever registers with Parley itself. A token that shows another
// organisation or role re-checks the user's access at once.
import { ParleyError } from '../../../protocol/errors.ts';
import type { User } from '../../../protocol/models.ts';
import type { Database } from '../../store/db.ts';
import { ensureOrganization, upsertUser } from '../../store/users.ts';
import type { HostClaims, TokenVerifier } from './token-verifier.ts';

/** How many users' last-written profiles are remembered to skip redundant writes. */
const REMEMBERED_PROFILES = 10_000;

export interface Session {
  user: User;
  /** When the token stops being valid. */
  expiresAt: Date;
}

export interface Identity {
  authenticate(token: string | undefined): Promise<Session>;
}

export interface IdentityDeps {
  db: Database;
  verifyToken: TokenVerifier;
  /** Called after a user's organisation or role changed, before the request that showed it goes on. */
  onAccessChanged: (userId: string) => Promise<unknown>;
}

export function createIdentity({ db, verifyToken, onAccessChanged }: IdentityDeps): Identity {
  const lastWritten = new Map<string, { claims: string; user: User }>();

  function remember(user: User, claims: string): void {
    lastWritten.delete(user.id);
    lastWritten.set(user.id, { claims, user });
    if (lastWritten.size > REMEMBERED_PROFILES) {
      const oldest = lastWritten.keys().next().value;
      if (oldest !== undefined) lastWritten.delete(oldest);
    }
  }

  async function syncUser(claims: HostClaims): Promise<User> {
    const fingerprint = JSON.stringify([
      claims.sub,
      claims.name,
      claims.email,
      claims.org,
      claims.role,
      claims.org_name,
      claims.org_kind,
    ]);
    const known = lastWritten.get(claims.sub);
    if (known?.claims === fingerprint) return known.user;
    const { user, change } = await db.transaction(async (tx) => {
      // An organisation first seen in a token is external unless the token says otherwise: least privilege.
      const orgKind = await ensureOrganization(tx, {
        id: claims.org,
        name: claims.org_name ?? claims.org,
        kind: claims.org_kind ?? 'client',
      });
      const user: User = {
        id: claims.sub,
        displayName: claims.name,
        email: claims.email ?? null,
        orgId: claims.org,
        orgKind,
        role: claims.role,
      };
      return { user, change: await upsertUser(tx, user) };
    });
    const accessChanged =
      change !== null &&
      !change.created &&
      (change.previousOrgId !== user.orgId || change.previousRole !== user.role);
    if (accessChanged) await onAccessChanged(user.id);
    remember(user, fingerprint);
    return user;
  }

  return {
    async authenticate(token) {
      if (!token) throw new ParleyError('unauthorized', 'a bearer token is required');
      const claims = await verifyToken(token);
      return { user: await syncUser(claims), expiresAt: new Date(claims.exp * 1000) };
    },
  };
}
