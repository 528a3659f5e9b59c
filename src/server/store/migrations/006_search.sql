-- Full-text search (docs/search.md): a tsvector generated from the current body, so edited-away text is never
-- found, and two GIN indexes whose first key is the message's conversation, so the permission filter (the
-- user's conversations) is applied inside the index scan instead of on heap rows. The trigram index finds
-- identifiers (PO-1234, SKU-AB-12, #1234) by any part, which the text-search parser splits inconsistently.
-- The (created_at, id) index serves date ranges and the newest-first reading of searches that match too many
-- messages to rank them all; it carries conversation_id and deleted_at so that reading skips other
-- conversations' messages and deleted ones without touching the table.
-- A small pending list: every search scans it against each of the user's conversations, and PGlite has no
-- autovacuum to flush it, so the default 4 MB made searches several times slower between flushes.

create extension if not exists pg_trgm;

-- A message with a link also gets the lexeme 'has link', so the has-link filter is served by the index too;
-- the parser never makes a lexeme with a space, so no query text can match it.
alter table messages add column search_vector tsvector generated always as (
  to_tsvector('english'::regconfig, body)
  || case when body ~* '(https?://|www\.)[^[:space:]]' then array_to_tsvector('{has link}') else ''::tsvector end
) stored;

create index messages_search_idx on messages
  using gin ((array[conversation_id]), search_vector) with (gin_pending_list_limit = 64)
  where deleted_at is null;

create index messages_body_trgm_idx on messages
  using gin ((array[conversation_id]), body gin_trgm_ops) with (gin_pending_list_limit = 64)
  where deleted_at is null;

-- Not partial, unlike the GIN indexes: a partial index can be read whole for its predicate alone, and the
-- planner would read all messages through it rather than through a GIN key of many conversations.
create index messages_created_at_idx on messages (created_at, id) include (conversation_id, deleted_at);
