// Looking users up as a given actor sees them: current profiles, and only people the actor may message.
import type { User } from '../../../protocol/models.ts';
import type { Database } from '../../store/db.ts';
import { findUser, findUsers, listUsers, type UserSource } from '../../store/users.ts';
import { forbidden, userNotFound } from './errors.ts';
import { type AccessOptions, isParleyAdmin, mayMessage } from './policy.ts';

/** People one may talk to: API-key bots post into record threads but are never picked or messaged. */
const PEOPLE: readonly UserSource[] = ['host', 'demo'];

export function createDirectory(db: Database, options: AccessOptions) {
  return {
    /**
     * The actor as stored now. Decisions that depend on role or organisation use this rather than a
     * socket's copy from connect time, which a newer token may have outdated.
     */
    async current(actor: User): Promise<User> {
      return (await findUser(db, actor.id)) ?? actor;
    },

    /** The actor as stored now, if they administer Parley (internal admin); forbidden otherwise. */
    async requireParleyAdmin(actor: User): Promise<User> {
      const current = (await findUser(db, actor.id)) ?? actor;
      if (!isParleyAdmin(current))
        throw forbidden('only admins of the internal organisation administer Parley');
      return current;
    },

    /** The users, all of whom the actor may message; otherwise not_found, as if they did not exist. */
    async reachable(actor: User, ids: readonly string[]): Promise<User[]> {
      const byId = new Map((await findUsers(db, ids, PEOPLE)).map((user) => [user.id, user]));
      const visible = (user: User | undefined): user is User =>
        user !== undefined && (user.id === actor.id || mayMessage(actor, user, options));
      const missing = ids.filter((id) => !visible(byId.get(id)));
      if (missing.length > 0) throw userNotFound(missing);
      // In the order asked for.
      return ids.map((id) => byId.get(id)).filter(visible);
    },

    /** Everyone the actor may start a conversation with: the people picker. */
    async listReachable(actor: User): Promise<User[]> {
      return (await listUsers(db, PEOPLE)).filter(
        (user) => user.id !== actor.id && mayMessage(actor, user, options),
      );
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;
