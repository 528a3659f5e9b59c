// How the admin CLI shows the server's answers to a person: aligned tables and one-line summaries.
import type { ChannelListing, Organization, User } from '../protocol/models.ts';

/** Left-aligned columns separated by two spaces, under an upper-case header; `empty` when there are no rows. */
export function formatTable(headers: readonly string[], rows: readonly string[][], empty: string): string {
  if (rows.length === 0) return `${empty}\n`;
  const all = [headers.map((header) => header.toUpperCase()), ...rows];
  const widths = headers.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

export function formatUsers(users: readonly User[]): string {
  return formatTable(
    ['id', 'name', 'email', 'org', 'org kind', 'role'],
    users.map((user) => [user.id, user.displayName, user.email ?? '-', user.orgId, user.orgKind, user.role]),
    'no users',
  );
}

export function formatOrganizations(organizations: readonly Organization[]): string {
  return formatTable(
    ['id', 'name', 'kind'],
    organizations.map((org) => [org.id, org.name, org.kind]),
    'no organisations',
  );
}

export function formatChannels(channels: readonly ChannelListing[]): string {
  return formatTable(
    ['id', 'name', 'orgs', 'min role', 'visibility', 'members', 'archived'],
    channels.map((channel) => [
      channel.id,
      `#${channel.name}`,
      channel.policy.orgIds.join(','),
      channel.policy.minRole,
      channel.policy.visibility,
      String(channel.memberCount),
      channel.archivedAt ?? '-',
    ]),
    'no channels',
  );
}
