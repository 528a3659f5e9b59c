// The webhook outbox: delivery rows (enqueued by the append, store/message-append.ts), their body settled at
// the first claim, the claim that lets several nodes work one queue without delivering anything twice at
// once, each attempt's outcome, and the delivery log.
import type { ConversationKind } from '../../protocol/models.ts';
import type {
  WebhookConversation,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEventType,
} from '../../protocol/webhooks.ts';
import type { Sql } from './db.ts';

/**
 * Sets the body of a delivery enqueued with only its message, unless a worker on another node did first;
 * answers the body the delivery keeps, so that every attempt sends the same one.
 */
export async function settleDeliveryPayload(sql: Sql, id: number, payload: unknown): Promise<unknown> {
  const [row] = await sql.query<{ payload: unknown }>(
    `with filled as (update webhook_deliveries set payload = $2::jsonb where id = $1 and payload is null
       returning payload)
     select payload from filled union all select payload from webhook_deliveries where id = $1 and payload is not null`,
    [id, JSON.stringify(payload)],
  );
  return row?.payload ?? payload;
}

/**
 * The conversation as a webhook describes it, or null for one a webhook must not hear of: notes of an
 * organisation other than the company's own, whose webhooks these are.
 */
export async function findWebhookConversation(
  sql: Sql,
  conversationId: string,
): Promise<WebhookConversation | null> {
  const [row] = await sql.query<{
    kind: ConversationKind;
    record_type: string | null;
    record_id: string | null;
    scope_org_ids: string[] | null;
    audience_kind: string | null;
  }>(
    `select c.kind, r.type as record_type, r.id as record_id, c.scope_org_ids, o.kind as audience_kind
     from conversations c
     left join records r on r.conversation_id = coalesce(c.parent_id, c.id)
     left join organizations o on o.id = c.audience_org_id
     where c.id = $1`,
    [conversationId],
  );
  if (!row || (row.kind === 'notes' && row.audience_kind !== 'internal')) return null;
  return {
    id: conversationId,
    kind: row.kind,
    record: row.record_type === null ? null : { type: row.record_type, id: row.record_id as string },
    audienceOrgIds: row.scope_org_ids,
    internalNote: row.kind === 'notes',
  };
}

/** A delivery a worker has claimed, with what it needs to POST it. */
export interface ClaimedDelivery {
  id: number;
  event: WebhookEventType;
  /** Null until the first claim fills it in from `messageId`. */
  payload: unknown;
  messageId: number | null;
  /** Counting the attempt this claim is for. */
  attempts: number;
  createdAt: Date;
  url: string;
  secret: string;
}

interface ClaimedRow {
  id: number;
  event: WebhookEventType;
  payload: unknown;
  message_id: number | null;
  attempts: number;
  created_at: Date;
  url: string;
  secret: string;
}

/**
 * Claims up to `limit` due deliveries of enabled webhooks and counts the attempt. Rows another worker is
 * claiming are skipped, not waited for; a claimed row is not due again for `leaseMs`, which outlasts the
 * POST, so no other worker takes it while it is in flight. If this node dies mid-POST, the lease runs out
 * and another node retries it: delivery is at least once.
 */
export async function claimDueDeliveries(
  sql: Sql,
  limit: number,
  leaseMs: number,
): Promise<ClaimedDelivery[]> {
  const rows = await sql.query<ClaimedRow>(
    `with due as (
       select d.id from webhook_deliveries d join webhooks w on w.id = d.webhook_id
       where d.status = 'pending' and d.next_attempt_at <= now() and w.disabled_at is null
       order by d.next_attempt_at, d.id limit $1
       for update of d skip locked
     )
     update webhook_deliveries d
     set attempts = d.attempts + 1, next_attempt_at = now() + $2::double precision * interval '1 millisecond'
     from due, webhooks w where d.id = due.id and w.id = d.webhook_id
     returning d.id, d.event, d.payload, d.message_id, d.attempts, d.created_at, w.url, w.secret`,
    [limit, leaseMs],
  );
  return rows.map((row) => ({
    id: row.id,
    event: row.event,
    payload: row.payload,
    messageId: row.message_id,
    attempts: row.attempts,
    createdAt: row.created_at,
    url: row.url,
    secret: row.secret,
  }));
}

export interface DeliveryAttempt {
  id: number;
  /** The attempt count of the claim: a worker whose lease ran out and was re-claimed writes nothing. */
  attempts: number;
  status: WebhookDeliveryStatus;
  lastStatus: number | null;
  lastError: string | null;
  /** For `pending`: when to try again, from now. */
  retryInMs: number;
}

export async function recordDeliveryAttempt(sql: Sql, attempt: DeliveryAttempt): Promise<void> {
  await sql.query(
    `update webhook_deliveries set
       status = $3::text, last_status = $4, last_error = $5,
       delivered_at = case when $3::text = 'delivered' then now() end,
       next_attempt_at = case when $3::text = 'pending'
         then now() + $6::double precision * interval '1 millisecond' else next_attempt_at end
     where id = $1 and attempts = $2 and status = 'pending'`,
    [attempt.id, attempt.attempts, attempt.status, attempt.lastStatus, attempt.lastError, attempt.retryInMs],
  );
}

interface DeliveryRow {
  id: number;
  event: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  next_attempt_at: Date;
  delivered_at: Date | null;
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: String(row.id),
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}

/** A page of a webhook's delivery log, latest first; `before` continues after the last id of a page. */
export async function listDeliveries(
  sql: Sql,
  webhookId: string,
  page: { before?: number | undefined; limit: number },
): Promise<WebhookDelivery[]> {
  const rows = await sql.query<DeliveryRow>(
    `select id, event, status, attempts, last_status, last_error, created_at, next_attempt_at, delivered_at
     from webhook_deliveries where webhook_id = $1 and id < $2
     order by id desc limit $3`,
    [webhookId, page.before ?? Number.MAX_SAFE_INTEGER, page.limit],
  );
  return rows.map(toDelivery);
}
