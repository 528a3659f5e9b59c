// The catalogue of the attachment routes: uploading a file to a conversation, and downloading it with a
// host token or a short-lived signed URL (docs/attachments.md).
import {
  attachmentDownloadQuerySchema,
  attachmentParamsSchema,
  attachmentUrlRequestSchema,
  attachmentUrlResponseSchema,
  uploadAttachmentResponseSchema,
} from './attachments.ts';
import { conversationIdParamsSchema } from './rest.ts';
import type { RouteSpec } from './route-spec.ts';

const download = {
  auth: 'userOrSignedUrl',
  params: attachmentParamsSchema,
  query: attachmentDownloadQuerySchema,
} as const;

export const attachmentRoutes: RouteSpec[] = [
  {
    method: 'POST',
    path: '/api/conversations/:id/attachments',
    summary:
      'Uploads a file to a conversation the user may write in, for a message to carry: images (re-encoded, ' +
      'with a thumbnail), PDF, CSV, plain text and spreadsheets, recognised by their bytes.',
    auth: 'user',
    params: conversationIdParamsSchema,
    upload: 'One part named `file`; its declared name is kept (cleaned), its declared type is ignored.',
    responses: { 201: uploadAttachmentResponseSchema },
    errors: ['forbidden', 'not_found', 'attachment_too_large', 'attachment_type_not_allowed'],
  },
  {
    method: 'POST',
    path: '/api/attachments/:id/url',
    summary:
      'A signed URL that downloads the attachment (or its thumbnail) without a token, for a few minutes ' +
      '(`PARLEY_SIGNED_URL_TTL_S`, 5 by default); the download checks again that its user may read it.',
    auth: 'user',
    params: attachmentParamsSchema,
    body: attachmentUrlRequestSchema,
    responses: { 200: attachmentUrlResponseSchema },
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/attachments/:id',
    summary:
      'Downloads an attachment of a conversation the user is in: images inline, anything else as a download.',
    ...download,
    responses: {},
    file: 'The stored bytes, with the detected content type.',
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/attachments/:id/thumbnail',
    summary: "An image attachment's thumbnail (at most 320 px on its longer side).",
    ...download,
    responses: {},
    file: 'The thumbnail, as an image Parley encoded.',
    errors: ['not_found'],
  },
];
