// Files the user is attaching to the message being written: each uploaded at once (chosen with the file
// button, pasted or dropped), shown with its progress, cancellable, and sent with the message once all
// are uploaded. A refused file (its type, its size) stays listed with why, until removed.
import { useRef, useState } from 'preact/hooks';
import type { ParleyClient } from '../client/index.ts';
import type { Attachment } from '../protocol/attachments.ts';

export interface Upload {
  key: number;
  name: string;
  /** 0 to 1 while uploading. */
  progress: number;
  attachment?: Attachment;
  error?: string;
  cancel: () => void;
}

export function useUploads(client: ParleyClient, conversationId: string) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const nextKey = useRef(0);
  const update = (key: number, change: Partial<Upload>) =>
    setUploads((list) => list.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));
  const remove = (key: number) => setUploads((list) => list.filter((upload) => upload.key !== key));

  const add = (files: readonly File[]) => {
    for (const file of files) {
      const key = nextKey.current++;
      const controller = new AbortController();
      const cancel = () => {
        controller.abort();
        remove(key);
      };
      setUploads((list) => [...list, { key, name: file.name, progress: 0, cancel }]);
      client.attachments
        .upload(conversationId, file, {
          signal: controller.signal,
          onProgress: (progress) => update(key, { progress }),
        })
        .then(
          (attachment) => update(key, { attachment, progress: 1 }),
          (error: Error) => {
            if (!controller.signal.aborted) update(key, { error: error.message });
          },
        );
    }
  };

  const ready = uploads.flatMap((upload) => (upload.attachment ? [upload.attachment.id] : []));
  return {
    uploads,
    add,
    /** Uploaded and none still going: what a send carries (refused ones are left out). */
    ready: uploads.every((upload) => upload.attachment || upload.error) ? ready : null,
    clear: () => setUploads([]),
  };
}
