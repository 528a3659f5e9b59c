// The notification ladder's durable jobs (migration 016): arming the push and email steps of the members of
// some conversations in one statement, claiming due steps so that any node may run them and none runs one
// twice at once, and recording what became of each.
import type { Sql } from './db.ts';

export type NotificationStep = 'push' | 'email';

/**
 * Arms the steps of every member of these conversations who has something unread that notifies them and
 * no step armed (an `idle` one, or none yet): due that long after the first such message told of by none.
 * What notifies a member: at level `all`, any message of others in a direct or group conversation; at
 * `all` and `mentions`, a mention of them (an edit's new mentions included); muted conversations, levels
 * `nothing`, disabled channels, users without an email address (or a push device) arm nothing of that kind. Idempotent: a
 * step already armed keeps its due time, so a busy conversation is told of once.
 */
export async function armSteps(
  sql: Sql,
  conversationIds: readonly string[],
  steps: readonly NotificationStep[],
  pushDelayMs: number,
): Promise<number> {
  if (conversationIds.length === 0) return 0;
  const rows = await sql.query<{ n: number }>(
    `with candidates as (
       select m.user_id, m.conversation_id, m.last_read_seq, c.kind,
         coalesce(ns.level, d.level) as level,
         coalesce(ns.push_enabled, d.push_enabled) as push_enabled,
         coalesce(ns.email_enabled, d.email_enabled) and u.email is not null as email_enabled,
         coalesce(ns.email_delay_seconds, d.email_delay_seconds) as email_delay_seconds
       from conversation_members m
       join conversations c on c.id = m.conversation_id
       join users u on u.id = m.user_id
       cross join notification_defaults d
       left join notification_settings ns on ns.user_id = m.user_id
       where m.conversation_id = any($1::text[]) and not m.muted and u.source <> 'system'
         and c.archived_at is null and c.last_seq > m.last_read_seq
     ), steps as (
       select cd.*, s.step, coalesce(p.through_seq, 0) as through_seq,
         case s.step when 'push' then $2::double precision / 1000 else cd.email_delay_seconds end as delay_seconds
       from candidates cd
       cross join unnest($3::text[]) s (step)
       left join notification_steps p
         on p.user_id = cd.user_id and p.conversation_id = cd.conversation_id and p.step = s.step
       where cd.level <> 'nothing' and (p.status is null or p.status = 'idle')
         and case s.step
           -- Only users with a device: one without gets nothing this way, and arming for them is churn.
           when 'push' then cd.push_enabled and exists (select 1 from push_subscriptions ps where ps.user_id = cd.user_id)
           else cd.email_enabled end
     ), armed as (
       select st.user_id, st.conversation_id, st.step, st.through_seq,
         f.first_at + st.delay_seconds * interval '1 second' as due_at
       from steps st
       join lateral (
         select min(first.created_at) as first_at from (
           (select x.created_at from messages x
            where st.level = 'all' and st.kind in ('direct', 'group') and x.conversation_id = st.conversation_id
              and x.seq > greatest(st.last_read_seq, st.through_seq) and x.kind = 'message'
              and x.sender_id <> st.user_id and x.deleted_at is null
            order by x.seq limit 1)
           union all
           (select x.created_at from message_mentions mm
            join messages x on x.conversation_id = mm.conversation_id and x.seq = mm.seq
            where mm.user_id = st.user_id and mm.conversation_id = st.conversation_id
              and mm.seq > greatest(st.last_read_seq, st.through_seq) and x.deleted_at is null
              and x.sender_id <> st.user_id
            order by mm.seq limit 1)
         ) first
       ) f on f.first_at is not null
     ), written as (
       insert into notification_steps (user_id, conversation_id, step, due_at, through_seq)
       select user_id, conversation_id, step, due_at, through_seq from armed
       on conflict (user_id, conversation_id, step) do update
         set status = 'pending', due_at = excluded.due_at, attempts = 0, last_error = null
         where notification_steps.status = 'idle'
       returning 1
     )
     select count(*)::int as n from written`,
    [conversationIds, pushDelayMs, steps],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Conversations that took a message since `since`: the sweep that arms what a node's crash left unarmed.
 * A seq scan of conversations, not of messages, every sweep interval.
 */
export async function listConversationsActiveSince(sql: Sql, since: Date): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `select id from conversations where updated_at > $1 and last_seq > 0 and archived_at is null`,
    [since],
  );
  return rows.map((row) => row.id);
}

/** The user is back (a client connected): what they were told of may be told again when something is new. */
export async function markReturned(sql: Sql, userId: string): Promise<void> {
  await sql.query(`update notification_steps set status = 'idle' where user_id = $1 and status = 'sent'`, [
    userId,
  ]);
}

/**
 * Every step of a member in a conversation is cancelled (made idle, keeping what it told of), as part of the
 * statement that reads or mutes it: the conversation `$1`, the user `$2`, when the CTE `changed` has a row.
 */
export const cancelStepsOfChangedMember = `cancelled as (
  update notification_steps set status = 'idle'
  where conversation_id = $1 and user_id = $2 and status <> 'idle' and exists (select 1 from changed))`;

/** A pending step a worker has claimed. */
export interface ClaimedStep {
  userId: string;
  conversationId: string;
  step: NotificationStep;
  /** Counting this claim. */
  attempts: number;
  /** The last seq an earlier round of this step told of. */
  throughSeq: number;
  dueAt: Date;
}

/**
 * Claims up to `limit` due steps and counts the attempt. Steps another worker is claiming are skipped, not
 * waited for; a claimed step is not due again for `leaseMs`, which outlasts sending it, so no other worker
 * takes it meanwhile. If this node dies while sending, the lease runs out and another node sends it: at
 * most one duplicate, in the window between the send and its record (docs/notifications.md).
 */
export async function claimDueSteps(sql: Sql, limit: number, leaseMs: number): Promise<ClaimedStep[]> {
  const rows = await sql.query<{
    user_id: string;
    conversation_id: string;
    step: NotificationStep;
    attempts: number;
    through_seq: number;
    due_at: Date;
  }>(
    `with due as (
       select user_id, conversation_id, step from notification_steps
       where status = 'pending' and due_at <= now()
       order by due_at limit $1
       for update skip locked
     )
     update notification_steps s
     set attempts = s.attempts + 1, due_at = now() + $2::double precision * interval '1 millisecond'
     from due where s.user_id = due.user_id and s.conversation_id = due.conversation_id and s.step = due.step
     returning s.user_id, s.conversation_id, s.step, s.attempts, s.through_seq, s.due_at`,
    [limit, leaseMs],
  );
  return rows.map((row) => ({
    userId: row.user_id,
    conversationId: row.conversation_id,
    step: row.step,
    attempts: row.attempts,
    throughSeq: row.through_seq,
    dueAt: row.due_at,
  }));
}

/** What became of a claimed step. */
export type StepOutcome =
  /** Told of everything through `throughSeq`: not armed again until the user is back or reads. */
  | { kind: 'sent'; throughSeq: number }
  /** Not now (the user is active, quiet hours, a failure to retry): due again after `inMs`. */
  | { kind: 'postponed'; inMs: number; error?: string | undefined }
  /** Nothing left to tell (read, deleted, no longer readable): idle, to be armed by what comes next. */
  | { kind: 'dropped' };

const keyOf = `user_id = $1 and conversation_id = $2 and step = $3 and attempts = $4 and status = 'pending'`;

/** Records the outcome, unless the step was cancelled or claimed again meanwhile (then nothing changes). */
export async function recordStepOutcome(sql: Sql, step: ClaimedStep, outcome: StepOutcome): Promise<void> {
  const key = [step.userId, step.conversationId, step.step, step.attempts];
  if (outcome.kind === 'sent') {
    await sql.query(
      `update notification_steps set status = 'sent', sent_at = now(), through_seq = $5, last_error = null
       where ${keyOf}`,
      [...key, outcome.throughSeq],
    );
  } else if (outcome.kind === 'postponed') {
    await sql.query(
      `update notification_steps set due_at = now() + $5::double precision * interval '1 millisecond',
         last_error = $6
       where ${keyOf}`,
      [...key, outcome.inMs, outcome.error ?? null],
    );
  } else {
    await sql.query(`update notification_steps set status = 'idle' where ${keyOf}`, key);
  }
}
