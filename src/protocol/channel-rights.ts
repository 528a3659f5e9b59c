// Who may create and run channels: pure rules over a user's organisation kind and role, shared by the
// server (which enforces them) and the widget (which offers only what the server would allow).
import type { Conversation, Role, User } from './models.ts';

/** Who may mention everyone in a channel (`@channel`, `@here`): its members, its managers, or nobody. */
export const broadcastMentionRules = ['members', 'managers', 'nobody'] as const;
export type BroadcastMentionRule = (typeof broadcastMentionRules)[number];

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

/**
 * Who may mention everyone in a conversation at once (`@channel`, `@here`): never in a direct conversation
 * (there is one other person) and never a viewer; in a channel, as its rule says.
 */
export function mayMentionEveryone(
  user: Pick<User, 'id' | 'orgKind' | 'role'>,
  conversation: {
    kind: Conversation['kind'];
    createdBy: string | null;
    broadcastMentions: BroadcastMentionRule;
  },
): boolean {
  if (conversation.kind === 'direct' || !hasRole(user, 'member')) return false;
  if (conversation.kind !== 'channel') return true;
  if (conversation.broadcastMentions === 'nobody') return false;
  return conversation.broadcastMentions === 'members' || mayManageChannel(user, conversation.createdBy);
}
