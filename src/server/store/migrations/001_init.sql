-- Organisations, users, conversations, membership with read state, and messages with a gap-free
-- per-conversation seq. Membership and read state are rows, not arrays: see docs/decisions/002.

create table organizations (
  id          text primary key,
  name        text not null,
  kind        text not null check (kind in ('internal', 'client', 'vendor')),
  created_at  timestamptz not null default now()
);

create table users (
  id            text primary key,
  display_name  text not null,
  email         text,
  org_id        text not null references organizations (id),
  role          text not null check (role in ('admin', 'member', 'viewer')),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index users_org_idx on users (org_id);

create table conversations (
  id          text primary key,
  kind        text not null check (kind in ('direct', 'group', 'channel', 'record')),
  name        text,
  -- Both user ids of a direct conversation, sorted and joined: makes "one DM per pair" a unique constraint.
  direct_key  text unique,
  created_by  text references users (id),
  -- Highest seq handed out; the row lock taken to bump it serialises appends to one conversation.
  last_seq    integer not null default 0,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  check ((kind = 'direct') = (direct_key is not null))
);
create unique index conversations_channel_name_idx on conversations (lower(name)) where kind = 'channel';

create table conversation_members (
  conversation_id  text not null references conversations (id),
  user_id          text not null references users (id),
  joined_at        timestamptz not null default now(),
  last_read_seq    integer not null default 0,
  muted            boolean not null default false,
  primary key (conversation_id, user_id)
);
create index conversation_members_user_idx on conversation_members (user_id);

create table messages (
  id               bigint generated always as identity primary key,
  conversation_id  text not null references conversations (id),
  seq              integer not null,
  sender_id        text not null references users (id),
  client_msg_id    text not null,
  body             text not null,
  created_at       timestamptz not null default now(),
  edited_at        timestamptz,
  deleted_at       timestamptz,
  unique (conversation_id, seq),
  unique (sender_id, client_msg_id)
);
