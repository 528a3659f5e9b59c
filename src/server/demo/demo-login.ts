// Demo mode's stand-in for the host's login: pick a seeded demo user, get the token the host would have
// signed — with the demo's own secret, and never for anyone who arrived through a real host token.
import { ParleyError } from '../../protocol/errors.ts';
import type { User } from '../../protocol/models.ts';
import { DEMO_KEY_ID } from '../domain/identity/token-verifier.ts';
import type { Database } from '../store/db.ts';
import { listUsers } from '../store/users.ts';
import type { DemoOrders } from './orders.ts';
import { demoOrganizations } from './seed.ts';
import { signHostToken } from './tokens.ts';

const DEMO_TOKEN_TTL_SECONDS = 12 * 60 * 60;

export interface DemoUser extends User {
  orgName: string;
}

/**
 * `orders`, when the demo's order system runs, names the orders each user may open in their token, as a host
 * would: the widget then links "order #1234" and leaves "step #3" as text.
 */
export function createDemoLogin(db: Database, demoSecret: string, orders: DemoOrders | null) {
  const orgName = (orgId: string) => demoOrganizations.find((org) => org.id === orgId)?.name ?? orgId;
  const demoUsers = () => listUsers(db, ['demo']);
  return {
    async users(): Promise<DemoUser[]> {
      return (await demoUsers()).map((user) => ({ ...user, orgName: orgName(user.orgId) }));
    },
    async login(userId: string): Promise<{ token: string; user: User }> {
      const user = (await demoUsers()).find((candidate) => candidate.id === userId);
      if (!user) throw new ParleyError('not_found', `no demo user "${userId}"`);
      const records = orders ? { order: orders.openableBy(user.orgId) } : undefined;
      const token = await signHostToken(
        demoSecret,
        { ...user, ...(records ? { records } : {}) },
        DEMO_TOKEN_TTL_SECONDS,
        {
          keyId: DEMO_KEY_ID,
        },
      );
      return { token, user };
    },
  };
}

export type DemoLogin = ReturnType<typeof createDemoLogin>;
