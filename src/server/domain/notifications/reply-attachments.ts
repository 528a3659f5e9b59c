// The files of an email reply, posted with it as attachments: the ones attached, not the images a mail
// client embeds in the text (signature logos, quoted inline images), each checked by content and stored as
// an upload would be. A file Parley does not take is left out and named, not a reason to drop the reply.
import type { Attachment as MailAttachment } from 'mailparser';
import { ParleyError } from '../../../protocol/errors.ts';
import type { User } from '../../../protocol/models.ts';
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../../../protocol/rest.ts';
import type { Attachments } from '../attachments/attachments.ts';

export interface ReplyFiles {
  attachmentIds: string[];
  /** "name (why)" of each file left out. */
  leftOut: string[];
}

const attached = (file: MailAttachment) => !file.related && file.contentDisposition !== 'inline';

export async function storeReplyFiles(
  attachments: Attachments,
  user: User,
  conversationId: string,
  files: readonly MailAttachment[],
): Promise<ReplyFiles> {
  const taken = files.filter(attached);
  const result: ReplyFiles = { attachmentIds: [], leftOut: [] };
  for (const [index, file] of taken.entries()) {
    const name = file.filename ?? `attachment-${index + 1}`;
    if (result.attachmentIds.length === MAX_ATTACHMENTS_PER_MESSAGE) {
      result.leftOut.push(`${name} (at most ${MAX_ATTACHMENTS_PER_MESSAGE} files go with one message)`);
      continue;
    }
    try {
      const stored = await attachments.upload(user, conversationId, async () => ({
        name,
        bytes: file.content,
      }));
      result.attachmentIds.push(stored.id);
    } catch (error) {
      // Storage failing is not the file's fault: the reply is tried again later, whole.
      if (!(error instanceof ParleyError) || error.code === 'unavailable') throw error;
      result.leftOut.push(`${name} (${error.message})`);
    }
  }
  return result;
}
