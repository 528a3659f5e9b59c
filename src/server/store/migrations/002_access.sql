-- Channel visibility policies and archiving. Existing channels become private to the organisations of
-- their current members, which is what they effectively were.

alter table conversations
  add column scope_org_ids text[],
  add column min_role text check (min_role in ('admin', 'member', 'viewer')),
  add column visibility text check (visibility in ('public', 'private')),
  add column archived_at timestamptz;

update conversations c set
  scope_org_ids = coalesce((select array_agg(distinct u.org_id order by u.org_id) from conversation_members m
                            join users u on u.id = m.user_id where m.conversation_id = c.id), '{}'),
  min_role = 'viewer',
  visibility = 'private'
where c.kind = 'channel';

alter table conversations add constraint conversations_channel_policy_check
  check (kind <> 'channel' or (scope_org_ids is not null and min_role is not null and visibility is not null));

create index conversations_public_channels_idx on conversations using gin (scope_org_ids)
  where kind = 'channel' and visibility = 'public';
