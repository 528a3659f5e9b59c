-- The notification ladder (docs/notifications.md): per user and conversation, a web push and then one email
-- digest while what they were told of stays unread.

-- A user's own choices; a null column takes the deployment's default (notification_defaults).
create table notification_settings (
  user_id             text primary key references users (id),
  -- What notifies beyond the badge: every message of a direct or group conversation and every mention
  -- ('all'), mentions only, or nothing.
  level               text check (level in ('all', 'mentions', 'nothing')),
  email_enabled       boolean,
  email_delay_seconds integer check (email_delay_seconds between 60 and 86400),
  push_enabled        boolean,
  -- Quiet hours, in minutes after midnight in `time_zone`: steps due inside them wait for their end.
  quiet_start_minute  integer check (quiet_start_minute between 0 and 1439),
  quiet_end_minute    integer check (quiet_end_minute between 0 and 1439),
  time_zone           text,
  updated_at          timestamptz not null default now(),
  check ((quiet_start_minute is null) = (quiet_end_minute is null))
);

-- What the company's admins set for everyone who has not chosen: one row.
create table notification_defaults (
  id                  boolean primary key default true check (id),
  level               text not null default 'all' check (level in ('all', 'mentions', 'nothing')),
  email_enabled       boolean not null default true,
  email_delay_seconds integer not null default 600 check (email_delay_seconds between 60 and 86400),
  push_enabled        boolean not null default true,
  updated_at          timestamptz not null default now()
);
insert into notification_defaults default values;

-- One row per (user, conversation, step), so a step is armed once however many messages arrive: a durable
-- job that any node may claim. `pending` waits for `due_at`; `sent` keeps the step from being armed again
-- until the user is back (connects: `returned`) or reads (the row goes). `through_seq` is the last seq the
-- step has told of, so that a step armed again tells only what is newer.
create table notification_steps (
  user_id          text not null references users (id),
  conversation_id  text not null references conversations (id),
  step             text not null check (step in ('push', 'email')),
  status           text not null default 'pending' check (status in ('pending', 'sent', 'returned')),
  due_at           timestamptz not null,
  through_seq      integer not null default 0,
  -- Counts the claims of the pending step: an outcome is recorded only by the claim it belongs to.
  attempts         integer not null default 0,
  last_error       text,
  sent_at          timestamptz,
  primary key (user_id, conversation_id, step)
);
create index notification_steps_due_idx on notification_steps (due_at) where status = 'pending';
