-- The append as a function (store/message-append.ts, decision 008): PL/pgSQL keeps the plan of its one
-- statement for the session, so a batch costs its execution and not its planning, which for this statement
-- took longer than storing one message on the embedded database.
--
-- It takes its policy from the domain (domain/messages/append-instructions.ts): per message, whether the
-- sender must be a member, whether webhooks hear of it and whether only when its audience is the company's.
-- It checks, in its one statement, only what can change under a send: membership, an archiving, the
-- mentioned people's membership, an organisation's kind.

create function append_messages(
  p_ordinals int[], p_conversation_ids text[], p_sender_ids text[], p_client_msg_ids text[], p_bodies text[],
  p_kinds text[], p_require_membership boolean[], p_notify_webhooks boolean[],
  p_webhooks_need_company_audience boolean[], p_mention_ordinals int[], p_mention_users text[])
returns table (id bigint, conversation_id text, seq integer, sender_id text, client_msg_id text, body text,
  created_at timestamptz, mentions text[], kind text, reopened boolean)
language plpgsql as $$
#variable_conflict use_column
begin
  return query
  with input as (
    select * from unnest(p_ordinals, p_conversation_ids, p_sender_ids, p_client_msg_ids, p_bodies, p_kinds,
        p_require_membership, p_notify_webhooks, p_webhooks_need_company_audience)
      as t(ord, conversation_id, sender_id, client_msg_id, body, kind, require_membership, notify_webhooks,
        webhooks_need_company_audience)
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
    update conversations c set last_seq = c.last_seq + k.added, updated_at = now()
    from counts k where c.id = k.conversation_id and c.archived_at is null
    returning c.id, c.last_seq, k.added
  ), numbered as (
    select a.*, (b.last_seq - b.added + a.n)::int as seq from allowed a join bumped b on b.id = a.conversation_id
  ), mentioned as (
    select nb.ord, array_agg(cm.user_id order by cm.user_id) as ids
    from unnest(p_mention_ordinals, p_mention_users) as mi(ord, user_id)
    join numbered nb on nb.ord = mi.ord
    join conversation_members cm on cm.conversation_id = nb.conversation_id and cm.user_id = mi.user_id
    group by nb.ord
  ), inserted as (
    insert into messages (conversation_id, seq, sender_id, client_msg_id, body, mentions, kind)
    select nb.conversation_id, nb.seq, nb.sender_id, nb.client_msg_id, nb.body, coalesce(md.ids, '{}'), nb.kind
    from numbered nb left join mentioned md on md.ord = nb.ord
    returning messages.id, messages.conversation_id, messages.seq, messages.sender_id, messages.client_msg_id,
      messages.body, messages.created_at, messages.mentions, messages.kind
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
    exists (select 1 from reopened r where r.conversation_id = i.conversation_id)
  from inserted i;
end
$$;
