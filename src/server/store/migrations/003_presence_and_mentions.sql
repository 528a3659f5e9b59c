-- Presence as one row per live connection (expiring unless refreshed, so a crashed node leaves no ghost),
-- users' last-seen time, and mentions, counted per member without scanning messages.

create table presence_connections (
  connection_id  text primary key,
  user_id        text not null references users (id),
  node_id        text not null,
  status         text not null check (status in ('online', 'away')),
  expires_at     timestamptz not null
);
create index presence_connections_user_idx on presence_connections (user_id);
create index presence_connections_node_idx on presence_connections (node_id);
create index presence_connections_expiry_idx on presence_connections (expires_at);

alter table users add column last_seen_at timestamptz;

alter table messages add column mentions text[] not null default '{}';

create table message_mentions (
  user_id          text not null references users (id),
  conversation_id  text not null,
  seq              integer not null,
  primary key (user_id, conversation_id, seq),
  foreign key (conversation_id, seq) references messages (conversation_id, seq)
);
