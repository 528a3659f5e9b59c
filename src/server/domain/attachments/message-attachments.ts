// Attachments as messages carry them: claimed by a message as it is stored, listed with messages, purged
// with them. Each takes the caller's `Sql`, so that it runs inside the caller's transaction.
import type { Attachment } from '../../../protocol/attachments.ts';
import { ParleyError } from '../../../protocol/errors.ts';
import {
  claimUnclaimed,
  deletePurged,
  listAttachmentsOfMessages,
  markPurgedOfMessages,
} from '../../store/attachments.ts';
import type { Sql } from '../../store/db.ts';
import type { ObjectStorage } from './storage.ts';

export interface ClaimRequest {
  conversationId: string;
  uploaderId: string;
  attachmentIds: readonly string[];
  /** The id of the message being stored (messages.id). */
  messageId: string;
}

/**
 * Gives the attachments to the message, in the order asked: only uploads of that user to that conversation
 * that no message has claimed. Any other id refuses the whole claim with `invalid_payload` naming it, and
 * the caller's transaction (and its message) rolls back.
 */
export async function claimAttachments(sql: Sql, request: ClaimRequest): Promise<Attachment[]> {
  const ids = [...new Set(request.attachmentIds)];
  if (ids.length === 0) return [];
  const claimed = new Map(
    (await claimUnclaimed(sql, { ...request, ids })).map((record) => [
      record.attachment.id,
      record.attachment,
    ]),
  );
  const refused = ids.find((id) => !claimed.has(id));
  if (refused !== undefined)
    throw new ParleyError(
      'invalid_payload',
      `attachment ${refused} is not an unsent upload of yours to this conversation`,
      {
        issues: [{ path: 'attachmentIds', message: `cannot attach ${refused}` }],
      },
    );
  return ids.map((id) => claimed.get(id) as Attachment);
}

/** Each message's attachments in upload order, by message id; messages without any are left out. */
export async function attachmentsOfMessages(
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

export interface PurgedAttachments {
  ids: string[];
  /**
   * Deletes the stored objects, then the rows, through `db` (not the purging transaction). Call it after
   * that transaction committed: before, a rollback would bring back rows whose bytes are gone. If it fails
   * (or is never called), the sweeper finishes the job.
   */
  removeStored(db: Sql): Promise<void>;
}

/** Makes the messages' attachments unreachable at once (in the caller's transaction); their bytes go next. */
export async function purgeAttachmentsOfMessages(
  sql: Sql,
  storage: ObjectStorage,
  messageIds: readonly string[],
): Promise<PurgedAttachments> {
  const purged = await markPurgedOfMessages(sql, messageIds);
  return {
    ids: purged.map((entry) => entry.id),
    async removeStored(db) {
      if (purged.length === 0) return;
      await storage.delete(purged.flatMap((entry) => entry.keys));
      await deletePurged(
        db,
        purged.map((entry) => entry.id),
      );
    },
  };
}
