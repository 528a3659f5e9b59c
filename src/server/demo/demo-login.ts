// Demo mode's stand-in for the host's login: pick a seeded user, get the token the host would have signed.
import { ParleyError } from '../../protocol/errors.ts';
import type { User } from '../../protocol/models.ts';
import type { Database } from '../store/db.ts';
import { findUsers, listUsers } from '../store/users.ts';
import { demoOrganizations } from './seed.ts';
import { signHostToken } from './tokens.ts';

const DEMO_TOKEN_TTL_SECONDS = 12 * 60 * 60;

export interface DemoUser extends User {
  orgName: string;
}

export function createDemoLogin(db: Database, secret: string) {
  const orgName = (orgId: string) => demoOrganizations.find((org) => org.id === orgId)?.name ?? orgId;
  return {
    async users(): Promise<DemoUser[]> {
      return (await listUsers(db)).map((user) => ({ ...user, orgName: orgName(user.orgId) }));
    },
    async login(userId: string): Promise<{ token: string; user: User }> {
      const [user] = await findUsers(db, [userId]);
      if (!user) throw new ParleyError('not_found', `no demo user "${userId}"`);
      return { token: await signHostToken(secret, user, DEMO_TOKEN_TTL_SECONDS), user };
    },
  };
}

export type DemoLogin = ReturnType<typeof createDemoLogin>;
