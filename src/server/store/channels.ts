// Channels as administered and browsed: renaming, re-scoping and archiving, and the channel list.

import type { BroadcastMentionRule } from '../../protocol/channel-rights.ts';
import type { ChannelListing, ChannelPolicy, Role } from '../../protocol/models.ts';
import { type PolicyColumns, toPolicy } from './conversations.ts';
import type { Sql } from './db.ts';

export interface ChannelChanges {
  name?: string | undefined;
  policy?: ChannelPolicy | undefined;
  archived?: boolean | undefined;
  broadcastMentions?: BroadcastMentionRule | undefined;
}

/** Returns false when the new name is taken by another channel; nothing was written then. */
export async function updateChannel(
  sql: Sql,
  conversationId: string,
  changes: ChannelChanges,
): Promise<boolean> {
  const rows = await sql.query(
    `update conversations set
       name = coalesce($2, name),
       scope_org_ids = coalesce($3, scope_org_ids),
       min_role = coalesce($4, min_role),
       visibility = coalesce($5, visibility),
       archived_at = case when $6::boolean is null then archived_at when $6 then coalesce(archived_at, now()) else null end,
       broadcast_mentions = coalesce($7, broadcast_mentions),
       updated_at = now()
     where id = $1 and kind = 'channel'
       and not exists (select 1 from conversations o where o.kind = 'channel' and o.id <> $1 and lower(o.name) = lower($2))
     returning id`,
    [
      conversationId,
      changes.name ?? null,
      changes.policy?.orgIds ?? null,
      changes.policy?.minRole ?? null,
      changes.policy?.visibility ?? null,
      changes.archived ?? null,
      changes.broadcastMentions ?? null,
    ],
  );
  return rows.length === 1;
}

interface ChannelListingRow extends PolicyColumns {
  id: string;
  name: string;
  member_count: number;
  is_member: boolean;
  archived_at: Date | null;
}

/**
 * Channels as the browser lists them: with `userId`, the ones that user is in plus public unarchived ones
 * whose policy admits `scope`; without, every channel (administration).
 */
export async function listChannels(
  sql: Sql,
  viewer: { userId: string; scope: { orgId: string; roles: Role[] } } | null,
): Promise<ChannelListing[]> {
  const rows = await sql.query<ChannelListingRow>(
    `select c.id, c.name, c.scope_org_ids, c.min_role, c.visibility, c.archived_at,
       (select count(*) from conversation_members n where n.conversation_id = c.id) as member_count,
       exists (select 1 from conversation_members m where m.conversation_id = c.id and m.user_id = $1) as is_member
     from conversations c
     where c.kind = 'channel' and ($1::text is null
       or exists (select 1 from conversation_members m where m.conversation_id = c.id and m.user_id = $1)
       or (c.visibility = 'public' and c.archived_at is null and $2 = any(c.scope_org_ids) and c.min_role = any($3::text[])))
     order by c.name`,
    [viewer?.userId ?? null, viewer?.scope.orgId ?? null, viewer?.scope.roles ?? null],
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    policy: toPolicy(row) as ChannelPolicy,
    memberCount: row.member_count,
    isMember: row.is_member,
    archivedAt: row.archived_at?.toISOString() ?? null,
  }));
}
