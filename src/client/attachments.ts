// Files from the SDK: uploading one to a conversation (with progress and cancelling where the platform
// allows) before a message carries it, and short-lived signed URLs that show or download a file without
// the user's token (an <img src>, a link). A refusal is thrown as a RefusalError, as every REST call's.
import type { Attachment, AttachmentUrlResponse, AttachmentVariant } from '../protocol/attachments.ts';
import { type ParleyRest, refusalOf } from './rest.ts';

export interface UploadOptions {
  /** Called as the bytes go out, with the share sent so far (0 to 1); browsers only. */
  onProgress?: (sent: number) => void;
  /** Aborting it cancels the upload (the promise rejects with an AbortError). */
  signal?: AbortSignal;
}

/** A file to upload: a browser `File`, or any Blob with the name to give it. */
export type UploadFile = Blob & { name?: string };

function aborted(): Error {
  return new DOMException('the upload was cancelled', 'AbortError');
}

export class Attachments {
  private readonly base: string;

  constructor(
    url: string,
    private readonly getToken: () => Promise<string>,
    private readonly rest: ParleyRest,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  /**
   * Uploads a file to the conversation; send a message with its id in `attachmentIds` to share it. The
   * server checks the bytes, not the name: a type it does not take is refused as
   * `attachment_type_not_allowed`, one over the limit as `attachment_too_large`.
   */
  async upload(conversationId: string, file: UploadFile, options: UploadOptions = {}): Promise<Attachment> {
    const url = `${this.base}/api/conversations/${encodeURIComponent(conversationId)}/attachments`;
    const form = new FormData();
    form.append('file', file, file.name ?? 'file');
    const token = await this.getToken();
    if (options.signal?.aborted) throw aborted();
    const { status, text } =
      typeof XMLHttpRequest === 'function'
        ? await this.sendWithProgress(url, token, form, options)
        : await fetch(url, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
            body: form,
            ...(options.signal ? { signal: options.signal } : {}),
          }).then(async (response) => ({ status: response.status, text: await response.text() }));
    if (status < 200 || status >= 300) throw refusalOf(status, text);
    return (JSON.parse(text) as { attachment: Attachment }).attachment;
  }

  /** A signed URL of the file (or its thumbnail), valid for a few minutes, for this user only. */
  url(attachmentId: string, variant: AttachmentVariant = 'original'): Promise<AttachmentUrlResponse> {
    return this.rest.attachmentUrl(attachmentId, variant);
  }

  /** fetch cannot report upload progress; XMLHttpRequest can. */
  private sendWithProgress(
    url: string,
    token: string,
    form: FormData,
    { onProgress, signal }: UploadOptions,
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', url);
      request.setRequestHeader('authorization', `Bearer ${token}`);
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress?.(event.loaded / event.total);
      };
      request.onload = () => resolve({ status: request.status, text: request.responseText });
      request.onerror = () => reject(new Error('the upload failed: no answer from Parley'));
      request.onabort = () => reject(aborted());
      signal?.addEventListener('abort', () => request.abort(), { once: true });
      request.send(form);
    });
  }
}
