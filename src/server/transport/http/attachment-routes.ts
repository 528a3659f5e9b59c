// REST routes for attachments: the multipart upload, signed URLs, and downloads served with the headers
// that keep a stored file from ever running as a page of Parley's origin (docs/attachments.md).
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type AttachmentUrlResponse,
  type AttachmentVariant,
  attachmentDownloadQuerySchema,
  attachmentParamsSchema,
  attachmentUrlRequestSchema,
  type UploadAttachmentResponse,
} from '../../../protocol/attachments.ts';
import { ParleyError } from '../../../protocol/errors.ts';
import { conversationIdParamsSchema } from '../../../protocol/rest.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { Attachments, Download, ReceivedFile } from '../../domain/attachments/attachments.ts';
import type { Identity } from '../../domain/identity/identity.ts';
import type { RateLimits } from '../../domain/limits/rate-limits.ts';
import { bearerToken, chargeRequest, userOf } from './authenticate.ts';

/** Reads the one `file` part, holding at most `maxBytes` of it: past that, `attachment_too_large`. */
async function receiveFile(request: FastifyRequest, maxBytes: number): Promise<ReceivedFile> {
  const expected = 'expected a multipart/form-data body with one part named file';
  if (!request.isMultipart()) throw new ParleyError('invalid_payload', expected);
  const part = await request.file({
    limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 },
    throwFileSizeLimit: false,
  });
  if (part?.fieldname !== 'file') throw new ParleyError('invalid_payload', expected);
  const chunks: Buffer[] = [];
  for await (const chunk of part.file) chunks.push(chunk as Buffer);
  if (part.file.truncated)
    throw new ParleyError('attachment_too_large', `the file is larger than the limit of ${maxBytes} bytes`);
  return { name: part.filename, bytes: Buffer.concat(chunks) };
}

/** Registered where requests are authenticated and charged (writes count against the write allowance). */
export function registerAttachmentRoutes(
  app: FastifyInstance,
  { attachments, maxUploadBytes }: { attachments: Attachments; maxUploadBytes: number },
): void {
  app.register(fastifyMultipart);

  app.post('/api/conversations/:id/attachments', async (request, reply) => {
    const { id } = parseInput(conversationIdParamsSchema, request.params);
    const attachment = await attachments.upload(userOf(request), id, () =>
      receiveFile(request, maxUploadBytes),
    );
    return reply.status(201).send({ attachment } satisfies UploadAttachmentResponse);
  });

  app.post('/api/attachments/:id/url', async (request): Promise<AttachmentUrlResponse> => {
    const { id } = parseInput(attachmentParamsSchema, request.params);
    const { variant } = parseInput(attachmentUrlRequestSchema, request.body ?? {});
    const { url, expiresAt } = await attachments.signedUrl(userOf(request), id, variant);
    return { url, expiresAt: expiresAt.toISOString() };
  });
}

/** RFC 8187 `filename*`: percent-encoded UTF-8, with the characters the grammar leaves out escaped too. */
const encodedFileName = (name: string) =>
  encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Only images Parley encoded itself are shown inline; everything else is a download of exactly the detected
 * type, sandboxed should a browser render it anyway. Nothing is ever served as HTML or SVG.
 */
function serve(reply: FastifyReply, { attachment, variant, contentType, object }: Download) {
  const inline = attachment.kind === 'image' || variant === 'thumbnail';
  const disposition = inline ? 'inline' : 'attachment';
  return reply
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('cache-control', 'private')
    .header('content-disposition', `${disposition}; filename*=UTF-8''${encodedFileName(attachment.name)}`)
    .header('content-length', object.size)
    .type(contentType.startsWith('text/') ? `${contentType}; charset=utf-8` : contentType)
    .send(object.body);
}

export interface DownloadRoutesDeps {
  attachments: Attachments;
  identity: Identity;
  rateLimits: RateLimits;
}

/**
 * Downloads authenticate themselves: with the bearer token as elsewhere, or with a signed URL, which a
 * browser follows from an <img> or a link without headers. Either way the reader is charged one event.
 */
export function registerAttachmentDownloadRoutes(
  app: FastifyInstance,
  { attachments, identity, rateLimits }: DownloadRoutesDeps,
): void {
  async function reader(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    variant: AttachmentVariant,
  ) {
    const query = parseInput(attachmentDownloadQuerySchema, request.query);
    const readerId =
      query.sig === undefined
        ? (await identity.authenticate(bearerToken(request.headers.authorization))).user.id
        : attachments.verifySignedUrl(
            { attachmentId: id, userId: query.user ?? '', variant, expires: query.expires ?? 0 },
            query.sig,
          ).userId;
    await chargeRequest(rateLimits, reply, { userId: readerId, points: 1, write: false });
    return readerId;
  }

  for (const [path, variant] of [
    ['/api/attachments/:id', 'original'],
    ['/api/attachments/:id/thumbnail', 'thumbnail'],
  ] as const) {
    app.get(path, async (request, reply) => {
      const { id } = parseInput(attachmentParamsSchema, request.params);
      const readerId = await reader(request, reply, id, variant);
      return serve(reply, await attachments.download(readerId, id, variant));
    });
  }
}
