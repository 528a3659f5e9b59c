// Asks before a message is deleted for everyone: focus starts on Cancel, Tab stays in the dialog, Esc or
// Cancel keeps the message, and focus goes back to where the user was.
import { useLayoutEffect, useRef } from 'preact/hooks';
import { trapFocus } from '../focus.ts';
import { useWidget } from '../state.ts';

export interface ConfirmDeleteProps {
  confirm: () => void;
  cancel: () => void;
}

export function ConfirmDelete({ confirm, cancel }: ConfirmDeleteProps) {
  const { strings } = useWidget();
  const dialog = useRef<HTMLDivElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    const before = (dialog.current?.getRootNode() as ShadowRoot | null)?.activeElement as HTMLElement | null;
    cancelButton.current?.focus();
    return () => before?.isConnected && before.focus();
  }, []);
  return (
    <div class="scrim">
      <div
        ref={dialog}
        class="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="parley-delete-title"
        aria-describedby="parley-delete-hint"
        onKeyDown={(event) => {
          if (event.key === 'Escape') cancel();
          else if (event.key === 'Tab' && dialog.current) trapFocus(event, dialog.current);
          else return;
          // The panel neither closes nor moves focus out of the dialog.
          event.stopPropagation();
        }}
      >
        <h3 id="parley-delete-title">{strings.deleteTitle}</h3>
        <p id="parley-delete-hint">{strings.deleteHint}</p>
        <div class="dialog-buttons">
          <button ref={cancelButton} type="button" class="button ghost" onClick={cancel}>
            {strings.cancel}
          </button>
          <button type="button" class="button danger" onClick={confirm}>
            {strings.delete}
          </button>
        </div>
      </div>
    </div>
  );
}
