// Who may see and do what: pure rules over users, organisations and channel policies (docs/access.md).
// The store keeps one invariant on top of them: a membership row exists only while its user is in scope.
import { hasRole } from '../../../protocol/channel-rights.ts';
import type { ChannelPolicy, ConversationKind, User } from '../../../protocol/models.ts';

// Shared with the widget, which offers only what these allow.
export {
  hasRole,
  mayCreateChannel,
  mayManageChannel,
  mayMentionEveryone,
} from '../../../protocol/channel-rights.ts';

export interface AccessOptions {
  /** Lets users of two different external organisations (client, vendor) message each other directly. */
  externalCrossOrgMessages: boolean;
}

/** Only admins of the internal organisation administer Parley. */
export function isParleyAdmin(user: User): boolean {
  return user.orgKind === 'internal' && user.role === 'admin';
}

/**
 * Internal users may message anyone; external users may message internal users and their own colleagues;
 * two external organisations meet only when the configuration allows it.
 */
export function mayMessage(a: User, b: User, options: AccessOptions): boolean {
  if (a.orgKind === 'internal' || b.orgKind === 'internal' || a.orgId === b.orgId) return true;
  return options.externalCrossOrgMessages;
}

/** Every pair in a group must be allowed to talk, or the group would be a way around `mayMessage`. */
export function mayShareGroup(members: readonly User[], options: AccessOptions): boolean {
  return members.every((a, i) => members.slice(i + 1).every((b) => mayMessage(a, b, options)));
}

/** Channels, record threads and their notes admit by organisation; DMs and groups by who may talk to whom. */
export function isScopedByOrganization(kind: ConversationKind): boolean {
  return kind === 'channel' || kind === 'record' || kind === 'notes';
}

export function inChannelScope(user: User, policy: ChannelPolicy): boolean {
  return policy.orgIds.includes(user.orgId) && hasRole(user, policy.minRole);
}

/** Viewers read and post but never change who is in a conversation. */
export function mayInvite(user: User): boolean {
  return hasRole(user, 'member');
}
