-- Internal notes of a record thread: one companion conversation per (record thread, organisation) that only
-- that organisation's people join. Notes get their own gap-free seq, so the other organisations' timelines
-- have no holes to explain and every path that respects membership (live events, history, sync, search,
-- export) keeps the notes inside the organisation. See docs/decisions/006-internal-notes.md.

alter table conversations
  add column parent_id text references conversations (id),
  add column audience_org_id text references organizations (id);

alter table conversations drop constraint conversations_kind_check;
alter table conversations add constraint conversations_kind_check
  check (kind in ('direct', 'group', 'channel', 'record', 'notes'));

alter table conversations add constraint conversations_notes_check
  check ((kind = 'notes') = (parent_id is not null and audience_org_id is not null));

alter table conversations drop constraint conversations_scope_check;
alter table conversations add constraint conversations_scope_check
  check (kind not in ('channel', 'record', 'notes')
         or (scope_org_ids is not null and min_role is not null and visibility is not null));

create unique index conversations_notes_idx on conversations (parent_id, audience_org_id) where kind = 'notes';

-- Host back-ends' bots post record events without being members (store/messages.ts): they no longer count
-- among a thread's people.
delete from conversation_members m using users u where u.id = m.user_id and u.org_id = 'parley-system';
