// Turns a host token into a Parley user: verifies it, then creates or updates the user and organisation
// from its claims, so that nobody ever registers with Parley itself.
import { ParleyError } from '../../../protocol/errors.ts';
import type { User } from '../../../protocol/models.ts';
import type { Database } from '../../store/db.ts';
import { ensureOrganization, upsertUser } from '../../store/users.ts';
import type { HostClaims, TokenVerifier } from './token-verifier.ts';

/** How many users' last-written profiles are remembered to skip redundant writes. */
const REMEMBERED_PROFILES = 10_000;

export interface Identity {
  authenticate(token: string | undefined): Promise<User>;
}

export function createIdentity(db: Database, verifyToken: TokenVerifier): Identity {
  const lastWritten = new Map<string, string>();

  async function syncUser(claims: HostClaims): Promise<User> {
    const user: User = {
      id: claims.sub,
      displayName: claims.name,
      email: claims.email ?? null,
      orgId: claims.org,
      role: claims.role,
    };
    const fingerprint = JSON.stringify([user, claims.org_name, claims.org_kind]);
    if (lastWritten.get(user.id) === fingerprint) return user;
    await db.transaction(async (tx) => {
      // An organisation first seen in a token is external unless the token says otherwise: least privilege.
      await ensureOrganization(tx, {
        id: claims.org,
        name: claims.org_name ?? claims.org,
        kind: claims.org_kind ?? 'client',
      });
      await upsertUser(tx, user);
    });
    lastWritten.delete(user.id);
    lastWritten.set(user.id, fingerprint);
    if (lastWritten.size > REMEMBERED_PROFILES) {
      const oldest = lastWritten.keys().next().value;
      if (oldest !== undefined) lastWritten.delete(oldest);
    }
    return user;
  }

  return {
    async authenticate(token) {
      if (!token) throw new ParleyError('unauthorized', 'a bearer token is required');
      return syncUser(await verifyToken(token));
    },
  };
}
