-- Files uploaded to a conversation (docs/attachments.md). A row is written only once its bytes are stored,
-- and names them by storage key; it stays unclaimed (message_id null) until a message carries it.
--
-- Purging marks the row (purged_at) in the caller's transaction, which makes it unreachable at once; the
-- stored objects are deleted only after that commit, and the row last, so no reachable row ever points at
-- a missing object and a failed delete is retried by the sweeper. A message deleted outright leaves its
-- attachments claimed but carried by nothing (message_id set null): the sweeper reclaims those too.
create table attachments (
  id             text primary key,
  conversation_id text not null references conversations (id),
  uploader_id    text not null references users (id),
  message_id     bigint references messages (id) on delete set null,
  file_name      text not null,
  content_type   text not null,
  kind           text not null check (kind in ('image', 'file')),
  size_bytes     bigint not null,
  width          integer,
  height         integer,
  storage_key    text not null,
  thumbnail_key  text,
  created_at     timestamptz not null default now(),
  claimed_at     timestamptz,
  purged_at      timestamptz
);

create index attachments_message_idx on attachments (message_id) where message_id is not null;
-- The sweep: uploads nobody claimed (oldest first), and attachments whose message is gone.
create index attachments_unclaimed_idx on attachments (created_at) where message_id is null and purged_at is null;
create index attachments_purged_idx on attachments (purged_at) where purged_at is not null;
