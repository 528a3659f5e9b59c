// The files a message carries: images as thumbnails that open in a lightbox (in the extras chunk), other
// files as a button that downloads them, both through short-lived signed URLs (signed-url.ts).
import { useState } from 'preact/hooks';
import type { Attachment } from '../../protocol/attachments.ts';
import { useSignedUrl } from '../signed-url.ts';
import { useWidget } from '../state.ts';
import { Extra } from './Extra.tsx';
import { Icon } from './Icon.tsx';

const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1048576).toFixed(1)} MB`;

function Image({ file }: { file: Attachment }) {
  const { strings } = useWidget();
  const thumbnail = useSignedUrl(file.id, file.hasThumbnail ? 'thumbnail' : 'original');
  const [open, setOpen] = useState(false);
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
      {open && <Extra part="Lightbox" props={{ file, close: () => setOpen(false) }} />}
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
