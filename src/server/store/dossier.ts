// What a record dossier reads: a conversation's messages page by page with their senders, the notes
// conversations of a record thread, and organisation names.

import type { Attachment } from '../../protocol/attachments.ts';
import type { DossierEntry, DossierOrganization } from '../../protocol/dossier.ts';
import { attachmentsByMessage } from './attachments.ts';
import type { Sql } from './db.ts';

/** A dossier line as stored; whether it is an internal note is for the domain to say. */
export type DossierMessage = Omit<DossierEntry, 'internalNote'>;

interface MessageRow {
  id: number;
  conversation_id: string;
  seq: number;
  kind: DossierEntry['kind'];
  sender_id: string;
  display_name: string;
  org_id: string;
  org_name: string;
  body: string | null;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}

/** Up to `limit` messages after `afterSeq`, oldest first. A deleted message's body never leaves the database. */
export async function listDossierMessages(
  sql: Sql,
  conversationId: string,
  afterSeq: number,
  limit: number,
): Promise<DossierMessage[]> {
  const rows = await sql.query<MessageRow & { has_attachments: boolean }>(
    `select m.id, m.conversation_id, m.seq, m.kind, m.sender_id, u.display_name, u.org_id, o.name as org_name,
       case when m.deleted_at is null then m.body end as body, m.created_at, m.edited_at, m.deleted_at,
       m.attachment_names <> '' as has_attachments
     from messages m join users u on u.id = m.sender_id join organizations o on o.id = u.org_id
     where m.conversation_id = $1 and m.seq > $2 and m.kind <> 'change'
     order by m.seq limit $3`,
    [conversationId, afterSeq, limit],
  );
  const withFiles = rows.filter((row) => row.has_attachments).map((row) => String(row.id));
  const files =
    withFiles.length === 0 ? new Map<string, Attachment[]>() : await attachmentsByMessage(sql, withFiles);
  return rows.map((row) => ({
    id: String(row.id),
    conversationId: row.conversation_id,
    seq: row.seq,
    kind: row.kind,
    sender: {
      id: row.sender_id,
      displayName: row.display_name,
      organization: { id: row.org_id, name: row.org_name },
    },
    body: row.body,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at?.toISOString() ?? null,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    attachments: (files.get(String(row.id)) ?? []).map(({ id, name, contentType, size }) => ({
      id,
      name,
      contentType,
      size,
    })),
  }));
}

export interface RecordNotes {
  conversationId: string;
  audience: DossierOrganization;
  /** Whether the user asked about is a member (false when nobody was asked about). */
  readerIsMember: boolean;
}

/** Every notes conversation of a record thread, and whether `readerId` is a member of each. */
export async function listRecordNotes(
  sql: Sql,
  recordConversationId: string,
  readerId: string | null,
): Promise<RecordNotes[]> {
  const rows = await sql.query<{ id: string; org_id: string; org_name: string; reader_is_member: boolean }>(
    `select c.id, o.id as org_id, o.name as org_name,
       exists (select 1 from conversation_members m where m.conversation_id = c.id and m.user_id = $2)
         as reader_is_member
     from conversations c join organizations o on o.id = c.audience_org_id
     where c.parent_id = $1 and c.kind = 'notes' order by o.name, o.id`,
    [recordConversationId, readerId],
  );
  return rows.map((row) => ({
    conversationId: row.id,
    audience: { id: row.org_id, name: row.org_name },
    readerIsMember: row.reader_is_member,
  }));
}

/** The organisation's name, or its id when Parley has not met it yet (declared by a host, no user so far). */
export async function organizationOf(sql: Sql, orgId: string): Promise<DossierOrganization> {
  const [row] = await sql.query<{ name: string }>('select name from organizations where id = $1', [orgId]);
  return { id: orgId, name: row?.name ?? orgId };
}
