-- Two costs that migrations 011 and 013 added to every appended message, taken back (measured on a batch of
-- 40 in one statement: some 7 % of the append on the embedded database):
--
-- The references from a change to the message it changed, and from a reply to its original, were foreign
-- keys: PostgreSQL queues and runs a check for each on every inserted row, even where the column is null,
-- which it is on nearly every row. Messages are never removed (a delete for everyone leaves a tombstone), the
-- append looks a reply's original up in its own statement, and a change is written under the lock of the
-- message it changes (store/message-changes.ts), so the keys could only ever pass.
alter table messages drop constraint messages_target_id_fkey;
alter table messages drop constraint messages_reply_to_id_fkey;

-- The file names were parsed into the search vector by a second text parse, run on every message, nearly
-- all of which have no files: body and names are now parsed together, once.
drop index messages_search_idx;
alter table messages drop column search_vector;
alter table messages add column search_vector tsvector generated always as (
  to_tsvector('english'::regconfig,
    case when attachment_names = '' then body else body || ' ' || attachment_names end)
  || case when body ~* '(https?://|www\.)[^[:space:]]' then array_to_tsvector('{has link}') else ''::tsvector end
) stored;
create index messages_search_idx on messages
  using gin ((array[conversation_id]), search_vector) with (gin_pending_list_limit = 64)
  where deleted_at is null;
