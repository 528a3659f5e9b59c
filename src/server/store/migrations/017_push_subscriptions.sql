-- Web push (docs/notifications.md#web-push). One row per browser subscription: its endpoint is the push
-- service's capability URL for that browser, so it is unique and belongs to whoever subscribed with it last
-- (a browser shared by two people moves to the one signed in now). p256dh and auth are the browser's keys
-- that each payload is encrypted to.
create table push_subscriptions (
  id              text primary key,
  user_id         text not null references users (id),
  endpoint        text not null unique,
  p256dh          text not null,
  auth            text not null,
  label           text,
  user_agent      text,
  created_at      timestamptz not null default now(),
  last_success_at timestamptz,
  last_failure_at timestamptz,
  -- Failures since the last push the service accepted; a success sets it back to 0.
  failures        integer not null default 0
);

create index push_subscriptions_user_idx on push_subscriptions (user_id, created_at);

-- The VAPID key pair Parley generates when the operator sets none: one row, shared by every node, kept
-- across restarts, since every subscription is bound to the public key it was made with (decision 016).
create table push_vapid_keys (
  singleton   boolean primary key default true check (singleton),
  public_key  text not null,
  private_key text not null,
  created_at  timestamptz not null default now()
);
