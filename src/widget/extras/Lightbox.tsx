// An image attachment at full size in a modal <dialog>: closed with Esc, its close button or a click
// outside, after which focus goes back to the thumbnail that opened it.
import { useEffect, useRef } from 'preact/hooks';
import type { Attachment } from '../../protocol/attachments.ts';
import { Icon } from '../components/Icon.tsx';
import { useSignedUrl } from '../signed-url.ts';
import { useWidget } from '../state.ts';

export function Lightbox({ file, close }: { file: Attachment; close: () => void }) {
  const { strings } = useWidget();
  const full = useSignedUrl(file.id, 'original');
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => dialog.current?.showModal(), []);
  return (
    <dialog
      ref={dialog}
      class="lightbox"
      aria-label={file.name}
      onClose={close}
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
  );
}
