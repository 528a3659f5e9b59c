// Uploading and downloading attachments: who may, what is stored (checked and re-encoded), and what a
// download hands the transport to serve. Claiming by messages is in message-attachments.ts.
import { randomBytes } from 'node:crypto';
import type { Attachment, AttachmentVariant } from '../../../protocol/attachments.ts';
import { ParleyError } from '../../../protocol/errors.ts';
import type { User } from '../../../protocol/models.ts';
import { type AttachmentRecord, findAttachment, insertAttachment } from '../../store/attachments.ts';
import { findConversationFacts } from '../../store/conversations.ts';
import type { Database } from '../../store/db.ts';
import { isMember } from '../../store/members.ts';
import { conversationNotFound, forbidden } from '../access/errors.ts';
import { detectContent } from './content-type.ts';
import { attachmentFileName } from './file-names.ts';
import { isImageType, reencodeImage } from './images.ts';
import type { SignedUrls, UrlGrant } from './signed-urls.ts';
import type { ObjectStorage, StoredObject } from './storage.ts';

export interface AttachmentsDeps {
  db: Database;
  storage: ObjectStorage;
  signedUrls: SignedUrls;
  /** Told of stored objects that could not be removed after a failed upload (the bytes, not the row). */
  onError: (error: unknown, context: string) => void;
  newId?: () => string;
}

/** The upload's file as the transport read it, within the size limit. */
export interface ReceivedFile {
  name: string;
  bytes: Buffer;
}

export interface Download {
  attachment: Attachment;
  variant: AttachmentVariant;
  /** Of the bytes served: the detected type, or for a thumbnail the WebP Parley encoded. */
  contentType: string;
  object: StoredObject;
}

/** 128 random bits: an id that cannot be guessed or enumerated. */
const randomId = () => randomBytes(16).toString('base64url');

/** The same answer whether it does not exist or the user may not see it: existence must not leak. */
function attachmentNotFound(): ParleyError {
  return new ParleyError('not_found', 'attachment not found');
}

export function createAttachments({ db, storage, signedUrls, onError, newId = randomId }: AttachmentsDeps) {
  /** Writers of a conversation are its members while it is not archived, as for sending a message. */
  async function checkMayWrite(user: User, conversationId: string): Promise<void> {
    const facts = await findConversationFacts(db, conversationId);
    if (!facts || !(await isMember(db, conversationId, user.id))) throw conversationNotFound();
    if (facts.archivedAt) throw forbidden('the conversation is archived');
  }

  /** Members read what messages carry; an upload not yet sent is its uploader's alone. */
  async function readable(userId: string, attachmentId: string): Promise<AttachmentRecord> {
    const record = await findAttachment(db, attachmentId);
    if (!record || !(await isMember(db, record.conversationId, userId))) throw attachmentNotFound();
    if (record.messageId === null && record.uploaderId !== userId) throw attachmentNotFound();
    return record;
  }

  async function store(key: string, bytes: Buffer, stored: string[]): Promise<void> {
    await storage.put(key, bytes);
    stored.push(key);
  }

  async function open(record: AttachmentRecord, variant: AttachmentVariant): Promise<Download> {
    const key = variant === 'thumbnail' ? record.thumbnailKey : record.storageKey;
    if (key === null) throw new ParleyError('not_found', 'the attachment has no thumbnail');
    const object = await storage.get(key);
    if (!object) throw attachmentNotFound();
    const contentType = variant === 'thumbnail' ? 'image/webp' : record.attachment.contentType;
    return { attachment: record.attachment, variant, contentType, object };
  }

  return {
    /**
     * Checks that the user may write in the conversation before `receive` reads the file, then stores it:
     * the bytes first, the row last, so that no row ever names bytes that are not there.
     */
    async upload(
      uploader: User,
      conversationId: string,
      receive: () => Promise<ReceivedFile>,
    ): Promise<Attachment> {
      await checkMayWrite(uploader, conversationId);
      const file = await receive();
      const content = await detectContent(file.bytes, file.name);
      const image = isImageType(content.contentType)
        ? await reencodeImage(file.bytes, content.contentType)
        : null;
      const id = newId();
      const bytes = image?.bytes ?? file.bytes;
      const stored: string[] = [];
      try {
        await store(id, bytes, stored);
        if (image) await store(`${id}-thumbnail`, image.thumbnail, stored);
        const record = await insertAttachment(db, {
          id,
          conversationId,
          uploaderId: uploader.id,
          fileName: attachmentFileName(file.name, content.extensions),
          contentType: content.contentType,
          kind: content.kind,
          sizeBytes: bytes.length,
          width: image?.width ?? null,
          height: image?.height ?? null,
          storageKey: id,
          thumbnailKey: image ? `${id}-thumbnail` : null,
        });
        return record.attachment;
      } catch (error) {
        await storage
          .delete(stored)
          .catch((cleanup: unknown) => onError(cleanup, `stored objects of a failed upload left: ${stored}`));
        throw error;
      }
    },

    /** A URL that lets the user download without a token until it expires; their access is checked now and then. */
    async signedUrl(user: User, attachmentId: string, variant: AttachmentVariant) {
      const record = await readable(user.id, attachmentId);
      if (variant === 'thumbnail' && record.thumbnailKey === null)
        throw new ParleyError('not_found', 'the attachment has no thumbnail');
      return signedUrls.sign({ attachmentId, userId: user.id, variant });
    },

    /** Whom a signed URL was issued to, if Parley signed it and it has not expired; `unauthorized` otherwise. */
    verifySignedUrl(grant: UrlGrant, signature: string): UrlGrant {
      return signedUrls.verify(grant, signature);
    },

    /** The bytes to serve, if the reader (by token, or the user a signed URL names) may read them now. */
    async download(readerId: string, attachmentId: string, variant: AttachmentVariant): Promise<Download> {
      return open(await readable(readerId, attachmentId), variant);
    },
  };
}

export type Attachments = ReturnType<typeof createAttachments>;
