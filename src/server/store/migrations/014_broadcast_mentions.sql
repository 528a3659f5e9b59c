-- `@channel` and `@here` (docs/read-state.md): who in a conversation may mention everyone in it at once.
-- `members`: any member who may write (viewers never); `managers`: those who run the channel; `nobody`.
-- Only channels offer the choice; other conversations keep the default.
alter table conversations add column broadcast_mentions text not null default 'members'
  check (broadcast_mentions in ('members', 'managers', 'nobody'));
