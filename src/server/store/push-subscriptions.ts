// The browsers' push subscriptions, one row per endpoint (migration 017): what a push is sent to and how the
// push service last answered.
import type { Sql } from './db.ts';

export interface PushSubscriptionRow {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  label: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  failures: number;
}

interface Row {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  label: string | null;
  user_agent: string | null;
  created_at: Date;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  failures: number;
}

const toSubscription = (row: Row): PushSubscriptionRow => ({
  id: row.id,
  userId: row.user_id,
  endpoint: row.endpoint,
  p256dh: row.p256dh,
  auth: row.auth,
  label: row.label,
  userAgent: row.user_agent,
  createdAt: row.created_at.toISOString(),
  lastSuccessAt: row.last_success_at?.toISOString() ?? null,
  lastFailureAt: row.last_failure_at?.toISOString() ?? null,
  failures: row.failures,
});

export interface NewPushSubscription {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  label: string | null;
  userAgent: string | null;
}

/**
 * Stores the subscription under its endpoint: a new row, the same row again (the browser re-sent it), or the
 * row moved from whoever had the endpoint before, which is then a new device of this user. `created` says
 * whether the user did not have it before.
 */
export async function savePushSubscription(
  sql: Sql,
  subscription: NewPushSubscription,
): Promise<{ subscription: PushSubscriptionRow; created: boolean }> {
  const [row] = await sql.query<Row & { previous_user_id: string | null }>(
    `with previous as (select user_id from push_subscriptions where endpoint = $3)
     insert into push_subscriptions (id, user_id, endpoint, p256dh, auth, label, user_agent)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (endpoint) do update set
       user_id = excluded.user_id,
       p256dh = excluded.p256dh,
       auth = excluded.auth,
       label = excluded.label,
       user_agent = excluded.user_agent,
       failures = 0,
       created_at = case when push_subscriptions.user_id = excluded.user_id
                         then push_subscriptions.created_at else now() end,
       last_success_at = case when push_subscriptions.user_id = excluded.user_id
                              then push_subscriptions.last_success_at end,
       last_failure_at = case when push_subscriptions.user_id = excluded.user_id
                              then push_subscriptions.last_failure_at end
     returning *, (select user_id from previous) as previous_user_id`,
    [
      subscription.id,
      subscription.userId,
      subscription.endpoint,
      subscription.p256dh,
      subscription.auth,
      subscription.label,
      subscription.userAgent,
    ],
  );
  const saved = row as Row & { previous_user_id: string | null };
  return { subscription: toSubscription(saved), created: saved.previous_user_id !== subscription.userId };
}

/** Deletes the user's oldest subscriptions past the newest `keep`. */
export async function trimPushSubscriptions(sql: Sql, userId: string, keep: number): Promise<void> {
  await sql.query(
    `delete from push_subscriptions where user_id = $1 and id not in (
       select id from push_subscriptions where user_id = $1 order by created_at desc, id limit $2)`,
    [userId, keep],
  );
}

/** The user's subscriptions, newest first. */
export async function listPushSubscriptions(sql: Sql, userId: string): Promise<PushSubscriptionRow[]> {
  const rows = await sql.query<Row>(
    'select * from push_subscriptions where user_id = $1 order by created_at desc, id',
    [userId],
  );
  return rows.map(toSubscription);
}

export async function hasPushSubscriptions(sql: Sql, userId: string): Promise<boolean> {
  const rows = await sql.query('select 1 from push_subscriptions where user_id = $1 limit 1', [userId]);
  return rows.length > 0;
}

/** Deletes one of the user's subscriptions; false when the user has none of that id. */
export async function deletePushSubscription(sql: Sql, userId: string, id: string): Promise<boolean> {
  const rows = await sql.query('delete from push_subscriptions where id = $1 and user_id = $2 returning id', [
    id,
    userId,
  ]);
  return rows.length === 1;
}

/**
 * Deletes a subscription the push service says is gone. Matched by endpoint too: a browser that re-sent the
 * endpoint meanwhile keeps the row, and the push service said nothing of that one.
 */
export async function deleteGonePushSubscription(sql: Sql, id: string, endpoint: string): Promise<void> {
  await sql.query('delete from push_subscriptions where id = $1 and endpoint = $2', [id, endpoint]);
}

export async function recordPushSuccess(sql: Sql, id: string): Promise<void> {
  await sql.query('update push_subscriptions set last_success_at = now(), failures = 0 where id = $1', [id]);
}

export async function recordPushFailure(sql: Sql, id: string): Promise<void> {
  await sql.query(
    'update push_subscriptions set last_failure_at = now(), failures = failures + 1 where id = $1',
    [id],
  );
}
