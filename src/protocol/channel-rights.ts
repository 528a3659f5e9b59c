// Who may create and run channels: pure rules over a user's organisation kind and role, shared by the
// server (which enforces them) and the widget (which offers only what the server would allow).
import type { Role, User } from './models.ts';

const roleRank: Record<Role, number> = { viewer: 1, member: 2, admin: 3 };

export function hasRole(user: Pick<User, 'role'>, minRole: Role): boolean {
  return roleRank[user.role] >= roleRank[minRole];
}

/** Channels are created by the company's own staff; external users talk in DMs and groups. */
export function mayCreateChannel(user: Pick<User, 'orgKind' | 'role'>): boolean {
  return user.orgKind === 'internal' && hasRole(user, 'member');
}

/**
 * A channel is run (renamed, re-scoped, archived, members removed) by its creator while they may still
 * create channels, and by any admin of the internal organisation. Client and vendor users never run one.
 */
export function mayManageChannel(
  user: Pick<User, 'id' | 'orgKind' | 'role'>,
  createdBy: string | null,
): boolean {
  if (user.orgKind !== 'internal') return false;
  return user.role === 'admin' || (user.id === createdBy && mayCreateChannel(user));
}
