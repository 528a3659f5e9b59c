-- Messages carry attachments (docs/attachments.md) and replies: the append claims the sender's uploads for
-- the message in its one statement, and keeps the file names, split into words, beside the body, so that
-- search finds a message by the names of its files as by its text (the search vector is made anew from both).

alter table messages add column attachment_names text not null default '';

drop index messages_search_idx;
alter table messages drop column search_vector;
alter table messages add column search_vector tsvector generated always as (
  to_tsvector('english'::regconfig, body) || to_tsvector('english'::regconfig, attachment_names)
  || case when body ~* '(https?://|www\.)[^[:space:]]' then array_to_tsvector('{has link}') else ''::tsvector end
) stored;
create index messages_search_idx on messages
  using gin ((array[conversation_id]), search_vector) with (gin_pending_list_limit = 64)
  where deleted_at is null;

-- The append (009) also numbers messages for the unread counts (migration 011), stores what a message replies
-- to, and claims its files. A reply names a message of the same conversation that is not a change; any other
-- id is dropped here, in the one statement, and refused with a clear error by the domain before it gets here.
drop function append_messages(int[], text[], text[], text[], text[], text[], boolean[], boolean[], boolean[],
  int[], text[]);

create function append_messages(
  p_ordinals int[], p_conversation_ids text[], p_sender_ids text[], p_client_msg_ids text[], p_bodies text[],
  p_kinds text[], p_require_membership boolean[], p_notify_webhooks boolean[],
  p_webhooks_need_company_audience boolean[], p_mention_ordinals int[], p_mention_users text[],
  p_reply_to_ids bigint[], p_attachment_ordinals int[], p_attachment_ids text[])
returns table (id bigint, conversation_id text, seq integer, sender_id text, client_msg_id text, body text,
  created_at timestamptz, mentions text[], kind text, reply_to_id bigint, reopened boolean)
language plpgsql as $$
#variable_conflict use_column
begin
  return query
  with input as (
    select * from unnest(p_ordinals, p_conversation_ids, p_sender_ids, p_client_msg_ids, p_bodies, p_kinds,
        p_require_membership, p_notify_webhooks, p_webhooks_need_company_audience, p_reply_to_ids)
      as t(ord, conversation_id, sender_id, client_msg_id, body, kind, require_membership, notify_webhooks,
        webhooks_need_company_audience, reply_to_id)
  ), fresh as (
    select i.* from input i where not exists (
      select 1 from messages m where m.sender_id = i.sender_id and m.client_msg_id = i.client_msg_id)
  ), allowed as (
    select f.*, row_number() over (partition by f.conversation_id order by f.ord) as n
    from fresh f join conversations c on c.id = f.conversation_id
    where c.archived_at is null and (not f.require_membership or exists (
      select 1 from conversation_members m where m.conversation_id = f.conversation_id and m.user_id = f.sender_id))
  ), counts as (
    select conversation_id, count(*)::int as added from allowed group by conversation_id
  ), bumped as (
    update conversations c set last_seq = c.last_seq + k.added, message_count = c.message_count + k.added,
      updated_at = now()
    from counts k where c.id = k.conversation_id and c.archived_at is null
    returning c.id, c.last_seq, c.message_count, k.added
  ), numbered as (
    select a.*, (b.last_seq - b.added + a.n)::int as seq, (b.message_count - b.added + a.n)::int as through
    from allowed a join bumped b on b.id = a.conversation_id
  ), mentioned as (
    select nb.ord, array_agg(cm.user_id order by cm.user_id) as ids
    from unnest(p_mention_ordinals, p_mention_users) as mi(ord, user_id)
    join numbered nb on nb.ord = mi.ord
    join conversation_members cm on cm.conversation_id = nb.conversation_id and cm.user_id = mi.user_id
    group by nb.ord
  ), attached as (
    -- The sender's own unsent uploads to the conversation; any other id is left out (the domain refused it
    -- with a clear error before).
    select nb.ord, a.id, a.file_name
    from unnest(p_attachment_ordinals, p_attachment_ids) as ai(ord, attachment_id)
    join numbered nb on nb.ord = ai.ord
    join attachments a on a.id = ai.attachment_id and a.conversation_id = nb.conversation_id
      and a.uploader_id = nb.sender_id and a.claimed_at is null and a.purged_at is null
  ), named as (
    select ord, string_agg(regexp_replace(file_name, '[^[:alnum:]]+', ' ', 'g'), ' ' order by id) as names
    from attached group by ord
  ), inserted as (
    insert into messages (conversation_id, seq, sender_id, client_msg_id, body, mentions, kind, messages_through,
      reply_to_id, attachment_names)
    select nb.conversation_id, nb.seq, nb.sender_id, nb.client_msg_id, nb.body, coalesce(md.ids, '{}'), nb.kind,
      -- Looked up by its id alone, the one condition a plan made on an empty table cannot serve with another
      -- index (by conversation, it read the whole conversation for every message); the rest is checked after.
      nb.through, case when nb.reply_to_id is not null then (
        select case when r.conversation_id = nb.conversation_id and r.kind <> 'change' then r.id end
        from messages r where r.id = nb.reply_to_id) end, coalesce(nm.names, '')
    from numbered nb left join mentioned md on md.ord = nb.ord left join named nm on nm.ord = nb.ord
    returning messages.id, messages.conversation_id, messages.seq, messages.sender_id, messages.client_msg_id,
      messages.body, messages.created_at, messages.mentions, messages.kind, messages.reply_to_id
  ), claimed as (
    update attachments a set message_id = i.id, claimed_at = now()
    from attached x join numbered nb on nb.ord = x.ord
    join inserted i on i.conversation_id = nb.conversation_id and i.seq = nb.seq
    where a.id = x.id and a.claimed_at is null
  ), mention_rows as (
    insert into message_mentions (user_id, conversation_id, seq)
    select unnest(i.mentions), i.conversation_id, i.seq from inserted i
  ), senders_have_read as (
    update conversation_members m set last_read_seq = greatest(m.last_read_seq, x.seq)
    from (select conversation_id, sender_id, max(seq) as seq from inserted group by conversation_id, sender_id) x
    where m.conversation_id = x.conversation_id and m.user_id = x.sender_id
  ), webhook_deliveries_due as (
    insert into webhook_deliveries (webhook_id, event, message_id)
    -- Checked once, before anything else: with no webhook that wants messages (the usual case) nothing below
    -- runs. The instructions are matched to what was inserted by a hashed lookup, never row by row.
    select w.id, 'message.created', i.id
    from inserted i, webhooks w
    where exists (select 1 from webhooks e where e.disabled_at is null and 'message.created' = any(e.events))
      and w.disabled_at is null and 'message.created' = any(w.events)
      and (i.conversation_id, i.seq) in (select conversation_id, seq from numbered where notify_webhooks)
      and not ((i.conversation_id, i.seq) in (
        select conversation_id, seq from numbered where webhooks_need_company_audience) and exists (
        select 1 from conversations n join organizations o on o.id = n.audience_org_id
        where n.id = i.conversation_id and o.kind <> 'internal'))
  ), reopened as (
    -- Only a record's own thread is in `records`: its notes and other conversations never reopen anything.
    update records r set status = 'open', updated_at = now()
    from counts k where r.conversation_id = k.conversation_id and r.status = 'closed' and r.reopen_on_activity
    returning r.conversation_id
  )
  select i.id, i.conversation_id, i.seq, i.sender_id, i.client_msg_id, i.body, i.created_at, i.mentions, i.kind,
    i.reply_to_id, exists (select 1 from reopened r where r.conversation_id = i.conversation_id)
  from inserted i;
end
$$;
