// Turns a host token into a Parley user: verifies it, then creates or updates the user and organisation
// from its claims, so that nobody ever registers with Parley itself. A token that shows another
// organisation or role re-checks the user's access at once. Only a token newer (by `iat`) than the one last
// applied changes the profile: an older one still authenticates, as the user is now.
import { ParleyError } from '../../../protocol/errors.ts';
import type { User } from '../../../protocol/models.ts';
import type { Database } from '../../store/db.ts';
import { ensureOrganization, writeProfile } from '../../store/users.ts';
import type { HostClaims, TokenVerifier, VerifiedToken } from './token-verifier.ts';

/** How many users' last-written profiles are remembered to skip redundant writes. */
const REMEMBERED_PROFILES = 10_000;
/**
 * How long a remembered profile is trusted: another node may have applied a newer token meanwhile, and an
 * older token replayed here must then meet the stored profile, not this node's memory of it.
 */
const REMEMBERED_FOR_MS = 30_000;

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
  now?: () => number;
}

export function createIdentity({ db, verifyToken, onAccessChanged, now = Date.now }: IdentityDeps): Identity {
  const lastWritten = new Map<string, { claims: string; user: User; at: number }>();

  function remember(user: User, claims: string): void {
    lastWritten.delete(user.id);
    lastWritten.set(user.id, { claims, user, at: now() });
    if (lastWritten.size > REMEMBERED_PROFILES) {
      const oldest = lastWritten.keys().next().value;
      if (oldest !== undefined) lastWritten.delete(oldest);
    }
  }

  async function syncUser(claims: VerifiedToken): Promise<User> {
    const fingerprint = JSON.stringify([
      claims.sub,
      claims.name,
      claims.email,
      claims.org,
      claims.role,
      claims.org_name,
      claims.org_kind,
      claims.signedByDemo,
    ]);
    const known = lastWritten.get(claims.sub);
    if (known?.claims === fingerprint && now() - known.at < REMEMBERED_FOR_MS) return known.user;
    const { user, change } = await db.transaction(async (tx) => {
      // An organisation first seen in a token is external unless the token says otherwise: least privilege.
      const orgKind = await ensureOrganization(tx, {
        id: claims.org,
        name: claims.org_name ?? claims.org,
        kind: claims.org_kind ?? 'client',
      });
      const claimed: User = {
        id: claims.sub,
        displayName: claims.name,
        email: claims.email ?? null,
        orgId: claims.org,
        orgKind,
        role: claims.role,
      };
      // The demo login's users stay demo users; anyone a host token names is the host's from then on.
      const source = claims.signedByDemo ? 'demo' : 'host';
      return writeProfile(tx, claimed, { source, issuedAt: claims.iat });
    });
    const accessChanged =
      change !== null &&
      !change.created &&
      (change.previousOrgId !== user.orgId || change.previousRole !== user.role);
    if (accessChanged) await onAccessChanged(user.id);
    // A token older than the stored profile is not remembered: its claims are not what is stored.
    if (change !== null || sameProfile(user, claims)) remember(user, fingerprint);
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

function sameProfile(user: User, claims: HostClaims): boolean {
  return (
    user.displayName === claims.name &&
    user.email === (claims.email ?? null) &&
    user.orgId === claims.org &&
    user.role === claims.role
  );
}
