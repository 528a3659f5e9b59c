// Attachments: files uploaded to a conversation, then carried by a message. The descriptor every client
// reads, and the payloads of the upload, signed-URL and download routes (docs/attachments.md).
import { z } from 'zod';

/** Random, unguessable ids: 128 bits of base64url. */
export const attachmentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'expected an attachment id');

export const attachmentKinds = ['image', 'file'] as const;
export type AttachmentKind = (typeof attachmentKinds)[number];

export const attachmentSchema = z
  .strictObject({
    id: attachmentIdSchema,
    name: z
      .string()
      .describe('The uploader’s file name, cleaned, ending in the extension of the detected type.'),
    contentType: z
      .string()
      .describe('The type Parley detected from the bytes (never the one the upload declared).'),
    size: z.number().int().min(0).describe('Bytes as stored: for images, of the re-encoded image.'),
    kind: z
      .enum(attachmentKinds)
      .describe('`image`: re-encoded by Parley and shown inline; `file`: downloaded.'),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    hasThumbnail: z.boolean(),
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof attachmentSchema>;

export const attachmentParamsSchema = z.strictObject({ id: attachmentIdSchema });

export const attachmentVariants = ['original', 'thumbnail'] as const;
export type AttachmentVariant = (typeof attachmentVariants)[number];

export const uploadAttachmentResponseSchema = z.strictObject({ attachment: attachmentSchema });
export type UploadAttachmentResponse = z.infer<typeof uploadAttachmentResponseSchema>;

export const attachmentUrlRequestSchema = z.strictObject({
  variant: z.enum(attachmentVariants).default('original'),
});

export const attachmentUrlResponseSchema = z.strictObject({
  url: z.string().describe('Path and query of the signed download, relative to the Parley server.'),
  expiresAt: z.iso.datetime(),
});
export type AttachmentUrlResponse = z.infer<typeof attachmentUrlResponseSchema>;

/** A download's query: empty with a bearer token, or the signature of a signed URL. */
export const attachmentDownloadQuerySchema = z.strictObject({
  user: z.string().min(1).max(200).optional().describe('Signed URLs only: whom the URL was issued to.'),
  expires: z.coerce.number().int().optional().describe('Signed URLs only: Unix seconds.'),
  sig: z.string().max(100).optional().describe('Signed URLs only: the signature.'),
});
export type AttachmentDownloadQuery = z.infer<typeof attachmentDownloadQuerySchema>;
