// Host records and the one conversation about each.
import type { ChannelPolicy, RecordContext, RecordInfo } from '../../protocol/models.ts';
import type { Sql } from './db.ts';

export interface RecordRow extends RecordInfo {
  conversationId: string;
  orgIds: string[];
  reopenOnActivity: boolean;
  /** Unix seconds of the statement that last set `orgIds` (a declaration's time or a grant's `iat`). */
  scopeIssuedAt: number;
}

export interface RecordDeclaration {
  type: string;
  id: string;
  title: string;
  url: string | null;
  context: RecordContext;
  orgIds: string[];
  status?: RecordInfo['status'] | undefined;
  reopenOnActivity?: boolean | undefined;
  /**
   * Unix seconds the statement was made: a server-to-server declaration's arrival, a grant's `iat`. The
   * audience follows only a statement at least as new as the one that last set it.
   */
  issuedAt: number;
}

interface Row {
  type: string;
  id: string;
  conversation_id: string;
  title: string;
  url: string | null;
  context: RecordContext;
  status: RecordInfo['status'];
  reopen_on_activity: boolean;
  scope_issued_at: number | string;
  scope_org_ids: string[];
}

const recordSelect = `select r.type, r.id, r.conversation_id, r.title, r.url, r.context, r.status, r.reopen_on_activity,
  r.scope_issued_at, c.scope_org_ids from records r join conversations c on c.id = r.conversation_id`;

function toRecord(row: Row): RecordRow {
  return {
    type: row.type,
    id: row.id,
    conversationId: row.conversation_id,
    title: row.title,
    url: row.url,
    context: row.context,
    status: row.status,
    reopenOnActivity: row.reopen_on_activity,
    orgIds: row.scope_org_ids,
    scopeIssuedAt: Number(row.scope_issued_at),
  };
}

export async function findRecord(sql: Sql, type: string, id: string): Promise<RecordRow | null> {
  const [row] = await sql.query<Row>(`${recordSelect} where r.type = $1 and r.id = $2`, [type, id]);
  return row ? toRecord(row) : null;
}

export async function findRecordByConversation(sql: Sql, conversationId: string): Promise<RecordRow | null> {
  const [row] = await sql.query<Row>(`${recordSelect} where r.conversation_id = $1`, [conversationId]);
  return row ? toRecord(row) : null;
}

/** Takes the record's advisory lock until the transaction ends: one creator per record, however many race. */
export async function lockRecord(tx: Sql, type: string, id: string): Promise<void> {
  await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`record:${type}:${id}`]);
}

export async function insertRecord(
  tx: Sql,
  record: RecordDeclaration,
  conversationId: string,
  createdBy: string,
): Promise<void> {
  const policy: ChannelPolicy = { orgIds: record.orgIds, minRole: 'viewer', visibility: 'private' };
  await tx.query(
    `insert into conversations (id, kind, name, created_by, scope_org_ids, min_role, visibility)
     values ($1, 'record', $2, $3, $4, $5, $6)`,
    [conversationId, record.title, createdBy, policy.orgIds, policy.minRole, policy.visibility],
  );
  await tx.query(
    `insert into records (type, id, conversation_id, title, url, context, status, reopen_on_activity,
       scope_issued_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      record.type,
      record.id,
      conversationId,
      record.title,
      record.url,
      record.context,
      record.status ?? 'open',
      record.reopenOnActivity ?? true,
      record.issuedAt,
    ],
  );
}

/**
 * Brings a record up to date; its conversation's name and scope follow (closing without reopen archives).
 * Call under `lockRecord`, after checking that the statement is not older than `scopeIssuedAt`.
 */
export async function updateRecord(tx: Sql, record: RecordDeclaration): Promise<void> {
  await tx.query(
    `update records set title = $3, url = $4, context = $5, status = coalesce($6, status),
       reopen_on_activity = coalesce($7, reopen_on_activity), scope_issued_at = greatest(scope_issued_at, $8),
       updated_at = now()
     where type = $1 and id = $2`,
    [
      record.type,
      record.id,
      record.title,
      record.url,
      record.context,
      record.status ?? null,
      record.reopenOnActivity ?? null,
      record.issuedAt,
    ],
  );
  await tx.query(
    `update conversations c set name = r.title, scope_org_ids = $3, updated_at = now(),
       archived_at = case when r.status = 'closed' and not r.reopen_on_activity then coalesce(c.archived_at, now()) else null end
     from records r where r.type = $1 and r.id = $2 and c.id = r.conversation_id`,
    [record.type, record.id, record.orgIds],
  ); // Notes follow their thread: archived with it, and out of reach of an organisation the host no longer admits.
  await tx.query(
    `update conversations n set name = c.name, archived_at = c.archived_at, updated_at = now(),
       scope_org_ids = case when n.audience_org_id = any(c.scope_org_ids) then array[n.audience_org_id] else '{}' end
     from records r join conversations c on c.id = r.conversation_id
     where r.type = $1 and r.id = $2 and n.parent_id = c.id and n.kind = 'notes'`,
    [record.type, record.id],
  );
}

/** The notes conversations of a record thread, whoever they belong to. */
export async function listNotesConversationIds(sql: Sql, recordConversationId: string): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `select id from conversations where parent_id = $1 and kind = 'notes' order by id`,
    [recordConversationId],
  );
  return rows.map((row) => row.id);
}

/**
 * The organisation's notes on a record thread, created on first use; concurrent first uses meet on the
 * unique (parent, organisation) index and all get the same conversation.
 */
export async function ensureNotesConversation(
  sql: Sql,
  notes: { id: string; recordConversationId: string; orgId: string; createdBy: string },
): Promise<string> {
  await sql.query(
    `insert into conversations (id, kind, name, created_by, parent_id, audience_org_id, scope_org_ids, min_role,
       visibility, archived_at)
     select $1, 'notes', c.name, $4, c.id, $3::text,
       case when $3::text = any(c.scope_org_ids) then array[$3::text] else '{}' end, 'viewer', 'private', c.archived_at
     from conversations c where c.id = $2
     on conflict do nothing`,
    [notes.id, notes.recordConversationId, notes.orgId, notes.createdBy],
  );
  const [row] = await sql.query<{ id: string }>(
    `select id from conversations where parent_id = $1 and audience_org_id = $2 and kind = 'notes'`,
    [notes.recordConversationId, notes.orgId],
  );
  if (!row) throw new Error(`notes of ${notes.recordConversationId} for ${notes.orgId} were not created`);
  return row.id;
}
