-- Webhook deliveries are written by the statement that stores the message (store/messages.ts): a crash
-- between the commit and a later enqueue can no longer lose one. The row names the message; the body is
-- filled in once, at the first claim, and every attempt sends that same body.

alter table webhook_deliveries add column message_id bigint references messages (id);
alter table webhook_deliveries alter column payload drop not null;
alter table webhook_deliveries add constraint webhook_deliveries_content_check
  check (payload is not null or message_id is not null);
