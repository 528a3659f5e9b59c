// Attachments as messages carry them: checked before a message is stored (which claims them), purged with
// it. Each takes the caller's `Sql`, so that it runs inside the caller's transaction.
import { ParleyError } from '../../../protocol/errors.ts';
import { deletePurged, findAttachable, markPurgedOfMessages } from '../../store/attachments.ts';
import type { Sql } from '../../store/db.ts';
import type { ObjectStorage } from './storage.ts';

/**
 * Refuses a message whose attachments are not all the sender's uploads to its conversation that no message
 * carries yet, naming the first that is not; the append then claims them in its statement.
 */
export async function refuseUnattachable(
  sql: Sql,
  request: { conversationId: string; uploaderId: string; attachmentIds: readonly string[] },
): Promise<void> {
  if (request.attachmentIds.length === 0) return;
  const attachable = new Set(await findAttachable(sql, { ...request, ids: request.attachmentIds }));
  const refused = request.attachmentIds.find((id) => !attachable.has(id));
  if (refused === undefined) return;
  throw new ParleyError(
    'invalid_payload',
    `attachment ${refused} is not an unsent upload of yours to this conversation`,
    {
      issues: [{ path: 'attachmentIds', message: `cannot attach ${refused}` }],
    },
  );
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
