-- Record threads (one conversation per host record), event messages posted by host back-ends, API keys
-- for those back-ends, and outgoing webhooks with their delivery log.

create table records (
  type                 text not null,
  id                   text not null,
  conversation_id      text not null unique references conversations (id),
  title                text not null,
  url                  text,
  context              jsonb not null default '{}',
  status               text not null default 'open' check (status in ('open', 'closed')),
  reopen_on_activity   boolean not null default true,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  primary key (type, id)
);

-- 'event': posted by a host back-end about its record ("Order 1234 shipped"), shown apart from people's messages.
alter table messages add column kind text not null default 'message' check (kind in ('message', 'event'));

-- Record threads are scoped like channels: the organisations the host granted.
alter table conversations drop constraint conversations_channel_policy_check;
alter table conversations add constraint conversations_scope_check
  check (kind not in ('channel', 'record') or (scope_org_ids is not null and min_role is not null and visibility is not null));

create table api_keys (
  id            text primary key,
  name          text not null,
  secret_hash   text not null,
  scopes        text[] not null,
  created_by    text not null references users (id),
  created_at    timestamptz not null default now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);

create table webhooks (
  id          text primary key,
  url         text not null,
  secret      text not null,
  events      text[] not null,
  created_by  text not null references users (id),
  created_at  timestamptz not null default now(),
  disabled_at timestamptz
);

create table webhook_deliveries (
  id               bigint generated always as identity primary key,
  webhook_id       text not null references webhooks (id),
  event            text not null,
  payload          jsonb not null,
  status           text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts         integer not null default 0,
  next_attempt_at  timestamptz not null default now(),
  last_status      integer,
  last_error       text,
  created_at       timestamptz not null default now(),
  delivered_at     timestamptz
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending';
