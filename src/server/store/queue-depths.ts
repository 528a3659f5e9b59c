// How deep the durable queues are (the webhook outbox, the notification ladder's steps), for metrics: one
// pass each over the pending rows only, which their partial indexes hold, however long the history.
import type { Sql } from './db.ts';

/** Rows waiting, of those due now, and of those whose last attempt failed. */
export interface QueueDepth {
  pending: number;
  due: number;
  failing: number;
}

async function measure(sql: Sql, statement: string): Promise<QueueDepth> {
  const [row] = await sql.query<QueueDepth>(statement);
  return row ?? { pending: 0, due: 0, failing: 0 };
}

/** A pending delivery with a recorded status or error has failed an attempt (a success is `delivered`). */
export const measureWebhookQueue = (sql: Sql) =>
  measure(
    sql,
    `select count(*)::int as pending,
       count(*) filter (where next_attempt_at <= now())::int as due,
       count(*) filter (where last_status is not null or last_error is not null)::int as failing
     from webhook_deliveries where status = 'pending'`,
  );

export const measureNotificationQueue = (sql: Sql) =>
  measure(
    sql,
    `select count(*)::int as pending,
       count(*) filter (where due_at <= now())::int as due,
       count(*) filter (where last_error is not null)::int as failing
     from notification_steps where status = 'pending'`,
  );
