// Webhooks as configured: registering, listing, disabling and deleting them, and the enabled ones that the
// dispatcher keeps in memory. Their deliveries are in webhook-deliveries.ts.
import type { Webhook, WebhookEventType } from '../../protocol/webhooks.ts';
import type { Sql } from './db.ts';

interface WebhookRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  created_by: string;
  created_at: Date;
  disabled_at: Date | null;
}

const webhookColumns = 'id, url, events, created_by, created_at, disabled_at';

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    disabledAt: row.disabled_at?.toISOString() ?? null,
  };
}

export interface NewWebhook {
  id: string;
  url: string;
  secret: string;
  events: readonly WebhookEventType[];
  createdBy: string;
}

export async function insertWebhook(sql: Sql, webhook: NewWebhook): Promise<Webhook> {
  const [row] = await sql.query<WebhookRow>(
    `insert into webhooks (id, url, secret, events, created_by) values ($1, $2, $3, $4, $5)
     returning ${webhookColumns}`,
    [webhook.id, webhook.url, webhook.secret, webhook.events, webhook.createdBy],
  );
  if (!row) throw new Error(`webhook ${webhook.id} was not inserted`);
  return toWebhook(row);
}

/** Every webhook, disabled ones too, oldest first; never their secrets. */
export async function listWebhooks(sql: Sql): Promise<Webhook[]> {
  const rows = await sql.query<WebhookRow>(`select ${webhookColumns} from webhooks order by created_at, id`);
  return rows.map(toWebhook);
}

export async function findWebhook(sql: Sql, id: string): Promise<Webhook | null> {
  const [row] = await sql.query<WebhookRow>(`select ${webhookColumns} from webhooks where id = $1`, [id]);
  return row ? toWebhook(row) : null;
}

/**
 * Disables the webhook (once: a second call keeps the first time) and, in the same statement, gives up
 * its pending deliveries, so its log holds no entry that will never move again.
 */
export async function disableWebhook(sql: Sql, id: string): Promise<Webhook | null> {
  const [row] = await sql.query<WebhookRow>(
    `with disabled as (
       update webhooks set disabled_at = coalesce(disabled_at, now()) where id = $1
       returning ${webhookColumns}
     ), given_up as (
       update webhook_deliveries d set status = 'failed', last_error = 'webhook disabled'
       from disabled where d.webhook_id = disabled.id and d.status = 'pending'
     )
     select * from disabled`,
    [id],
  );
  return row ? toWebhook(row) : null;
}

/** Deletes the webhook with its delivery log; false when there was no such webhook. */
export async function deleteWebhook(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql.query(
    `with log as (delete from webhook_deliveries where webhook_id = $1)
     delete from webhooks where id = $1 returning id`,
    [id],
  );
  return rows.length > 0;
}

export interface EnabledWebhook {
  id: string;
  events: WebhookEventType[];
}

export async function listEnabledWebhooks(sql: Sql): Promise<EnabledWebhook[]> {
  return sql.query<EnabledWebhook>('select id, events from webhooks where disabled_at is null order by id');
}
