// The files a message carries: images as thumbnails that open in a lightbox, other files as a button that
// downloads them. Both through short-lived signed URLs asked for when shown (nothing in the page holds
// the user's token); the lightbox is a modal <dialog>, closed with Esc, its close button or a click outside.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Attachment, AttachmentVariant } from '../../protocol/attachments.ts';
import { useWidget } from '../state.ts';
import { Icon } from './Icon.tsx';

function useSignedUrl(id: string, variant: AttachmentVariant, wanted = true): string | undefined {
  const { session } = useWidget();
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!wanted) return;
    let current = true;
    session.client.attachments.url(id, variant).then(
      (signed) => current && setUrl(signed.url),
      () => current && setUrl(undefined),
    );
    return () => {
      current = false;
    };
  }, [id, variant, wanted]);
  return url;
}

const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1048576).toFixed(1)} MB`;

function Image({ file }: { file: Attachment }) {
  const { strings } = useWidget();
  const thumbnail = useSignedUrl(file.id, file.hasThumbnail ? 'thumbnail' : 'original');
  const [open, setOpen] = useState(false);
  const full = useSignedUrl(file.id, 'original', open);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (open) dialog.current?.showModal();
  }, [open]);
  return (
    <>
      <button
        type="button"
        class="file-image"
        aria-label={strings.openImage(file.name)}
        onClick={() => setOpen(true)}
      >
        {thumbnail && (
          <img src={thumbnail} alt="" width={file.width ?? undefined} height={file.height ?? undefined} />
        )}
      </button>
      {open && (
        <dialog
          ref={dialog}
          class="lightbox"
          aria-label={file.name}
          onClose={() => setOpen(false)}
          onKeyDown={(event) => {
            // Esc closes the lightbox, not the panel behind it.
            if (event.key !== 'Escape') return;
            event.preventDefault();
            event.stopPropagation();
            dialog.current?.close();
          }}
          onClick={(event) => event.target === dialog.current && dialog.current?.close()}
        >
          <button
            type="button"
            class="icon-button"
            aria-label={strings.close}
            onClick={() => dialog.current?.close()}
          >
            <Icon name="close" size={18} />
          </button>
          {full && <img src={full} alt={file.name} />}
        </dialog>
      )}
    </>
  );
}

function File({ file }: { file: Attachment }) {
  const { session, strings } = useWidget();
  const download = async () => {
    const { url } = await session.client.attachments.url(file.id);
    window.open(url, '_blank', 'noopener');
  };
  return (
    <button
      type="button"
      class="file"
      aria-label={strings.downloadFile(file.name)}
      onClick={() => void download()}
    >
      <Icon name="download" size={14} />
      <span class="file-name">{file.name}</span>
      <span class="file-size">{size(file.size)}</span>
    </button>
  );
}

export function Attachments({ files }: { files: readonly Attachment[] }) {
  if (files.length === 0) return null;
  return (
    <div class="files">
      {files.map((file) =>
        file.kind === 'image' ? <Image key={file.id} file={file} /> : <File key={file.id} file={file} />,
      )}
    </div>
  );
}
