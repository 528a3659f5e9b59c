// Attachment rows: written once their bytes are stored, claimed by a message, purged in two steps (marked,
// then deleted once their objects are) — migration 012 says why.
import type { Attachment, AttachmentKind } from '../../protocol/attachments.ts';
import type { Sql } from './db.ts';

/** An attachment as the server knows it: the descriptor and where it belongs and lives. */
export interface AttachmentRecord {
  attachment: Attachment;
  conversationId: string;
  uploaderId: string;
  /** Null until a message claims it. */
  messageId: string | null;
  storageKey: string;
  thumbnailKey: string | null;
}

export interface NewAttachment {
  id: string;
  conversationId: string;
  uploaderId: string;
  fileName: string;
  contentType: string;
  kind: AttachmentKind;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  storageKey: string;
  thumbnailKey: string | null;
}

/** A purged attachment's stored objects, to delete before its row. */
export interface StoredKeys {
  id: string;
  keys: string[];
}

interface Row {
  id: string;
  conversation_id: string;
  uploader_id: string;
  message_id: number | null;
  file_name: string;
  content_type: string;
  kind: AttachmentKind;
  size_bytes: number;
  width: number | null;
  height: number | null;
  storage_key: string;
  thumbnail_key: string | null;
}

const columns =
  'id, conversation_id, uploader_id, message_id, file_name, content_type, kind, size_bytes, width, height, storage_key, thumbnail_key';

function toRecord(row: Row): AttachmentRecord {
  return {
    attachment: {
      id: row.id,
      name: row.file_name,
      contentType: row.content_type,
      size: Number(row.size_bytes),
      kind: row.kind,
      width: row.width,
      height: row.height,
      hasThumbnail: row.thumbnail_key !== null,
    },
    conversationId: row.conversation_id,
    uploaderId: row.uploader_id,
    messageId: row.message_id === null ? null : String(row.message_id),
    storageKey: row.storage_key,
    thumbnailKey: row.thumbnail_key,
  };
}

const toKeys = (row: { id: string; storage_key: string; thumbnail_key: string | null }): StoredKeys => ({
  id: row.id,
  keys: row.thumbnail_key === null ? [row.storage_key] : [row.storage_key, row.thumbnail_key],
});

export async function insertAttachment(sql: Sql, attachment: NewAttachment): Promise<AttachmentRecord> {
  const [row] = await sql.query<Row>(
    `insert into attachments (id, conversation_id, uploader_id, file_name, content_type, kind, size_bytes,
       width, height, storage_key, thumbnail_key)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning ${columns}`,
    [
      attachment.id,
      attachment.conversationId,
      attachment.uploaderId,
      attachment.fileName,
      attachment.contentType,
      attachment.kind,
      attachment.sizeBytes,
      attachment.width,
      attachment.height,
      attachment.storageKey,
      attachment.thumbnailKey,
    ],
  );
  return toRecord(row as Row);
}

/** The attachment unless purged. */
export async function findAttachment(sql: Sql, id: string): Promise<AttachmentRecord | null> {
  const [row] = await sql.query<Row>(
    `select ${columns} from attachments where id = $1 and purged_at is null`,
    [id],
  );
  return row ? toRecord(row) : null;
}

/**
 * Those of `ids` the uploader put in the conversation that no message carries yet: what a message of
 * theirs may carry (the append claims them, store/message-append.ts).
 */
export async function findAttachable(
  sql: Sql,
  request: { conversationId: string; uploaderId: string; ids: readonly string[] },
): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `select id from attachments where id = any($1::text[]) and conversation_id = $2 and uploader_id = $3
       and claimed_at is null and purged_at is null`,
    [request.ids, request.conversationId, request.uploaderId],
  );
  return rows.map((row) => row.id);
}

/** Each message's attachments in upload order, by message id. */
export async function attachmentsByMessage(
  sql: Sql,
  messageIds: readonly string[],
): Promise<Map<string, Attachment[]>> {
  const byMessage = new Map<string, Attachment[]>();
  for (const record of await listAttachmentsOfMessages(sql, messageIds)) {
    const messageId = record.messageId as string;
    byMessage.set(messageId, [...(byMessage.get(messageId) ?? []), record.attachment]);
  }
  return byMessage;
}

/** The messages' attachments, in the order they were uploaded. */
export async function listAttachmentsOfMessages(
  sql: Sql,
  messageIds: readonly string[],
): Promise<AttachmentRecord[]> {
  if (messageIds.length === 0) return [];
  const rows = await sql.query<Row>(
    `select ${columns} from attachments where message_id = any($1::bigint[]) and purged_at is null
     order by message_id, created_at, id`,
    [messageIds],
  );
  return rows.map(toRecord);
}

/** Marks the messages' attachments purged: unreachable from now on; their objects go next. */
export async function markPurgedOfMessages(sql: Sql, messageIds: readonly string[]): Promise<StoredKeys[]> {
  if (messageIds.length === 0) return [];
  const rows = await sql.query<Row>(
    `update attachments set purged_at = now() where message_id = any($1::bigint[]) and purged_at is null
     returning ${columns}`,
    [messageIds],
  );
  return rows.map(toKeys);
}

/**
 * Marks purged the uploads no message claimed within `maxAgeMs`, and the claimed ones whose message was
 * deleted outright; returns how many.
 */
export async function markAbandoned(sql: Sql, maxAgeMs: number): Promise<number> {
  const rows = await sql.query(
    `update attachments set purged_at = now()
     where message_id is null and purged_at is null
       and (claimed_at is not null or created_at < now() - make_interval(secs => $1::double precision / 1000))
     returning id`,
    [maxAgeMs],
  );
  return rows.length;
}

/** Purged attachments whose objects may still exist, oldest first. */
export async function listPurged(sql: Sql, limit: number): Promise<StoredKeys[]> {
  const rows = await sql.query<Row>(
    `select ${columns} from attachments where purged_at is not null order by purged_at limit $1`,
    [limit],
  );
  return rows.map(toKeys);
}

/** Deletes purged rows, once their objects are gone. */
export async function deletePurged(sql: Sql, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql.query('delete from attachments where id = any($1::text[]) and purged_at is not null', [ids]);
}
