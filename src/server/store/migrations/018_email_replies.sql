-- Reply by email (docs/notifications.md): each digest's Reply-To names a random id bound to one user and one
-- conversation (with a signature over all three in the address itself), so that a reply lands there as
-- that user. One id per pair, kept: an old digest's reply still lands.
create table email_reply_addresses (
  id               text primary key,
  user_id          text not null references users (id),
  conversation_id  text not null references conversations (id),
  created_at       timestamptz not null default now(),
  unique (user_id, conversation_id)
);
