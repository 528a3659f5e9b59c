-- Edits, deletes, reactions and replies as part of each conversation's ordered stream (docs/delivery.md):
-- every change is an entry of kind 'change' that takes the next seq and names the message it changed, so
-- sync, history pages and timelines carry changes with no mechanism of their own. The changed message
-- itself is kept in its current state; `revision_seq` is the seq of the last change applied to it, which
-- lets a client tell a newer state of a message from an older one.
--
-- Unread counts stop being seq differences, since change entries are never unread: each entry records how
-- many messages its conversation held through it (`messages_through`), and a member's unread count is the
-- conversation's `message_count` less the count through their read cursor: still no message is read.

alter table messages drop constraint messages_kind_check;
alter table messages add constraint messages_kind_check check (kind in ('message', 'event', 'change'));

alter table messages
  add column change_type text check (change_type in
    ('message.edited', 'message.deleted', 'reaction.added', 'reaction.removed')),
  add column target_id bigint references messages (id),
  add column emoji text,
  add column reply_to_id bigint references messages (id),
  add column revision_seq integer,
  add column messages_through integer not null default 0,
  add constraint messages_change_check check ((kind = 'change') = (change_type is not null and target_id is not null));

alter table conversations add column message_count integer not null default 0;

update messages m set messages_through = numbered.n
from (select id, row_number() over (partition by conversation_id order by seq)::int as n from messages) numbered
where numbered.id = m.id;

update conversations c set message_count = coalesce(
  (select count(*)::int from messages m where m.conversation_id = c.id), 0);

-- Who reacted with what: the key makes a repeated reaction a no-op under any concurrency.
create table message_reactions (
  message_id  bigint not null references messages (id),
  emoji       text not null,
  user_id     text not null references users (id),
  created_at  timestamptz not null default now(),
  primary key (message_id, emoji, user_id)
);

-- The bodies an edit replaced, for the author and the company's admins; a delete removes them with the body.
create table message_versions (
  message_id  bigint not null references messages (id),
  version     integer not null,
  body        text not null,
  -- When this version was written: the message's creation or the edit that wrote it.
  written_at  timestamptz not null,
  replaced_at timestamptz not null default now(),
  primary key (message_id, version)
);
