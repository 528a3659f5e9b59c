// The round button in the corner that opens and closes the panel, with the unread badge.
import { useEffect, useRef } from 'preact/hooks';
import { usePanel, useUnread, useWidget } from '../state.ts';
import { Icon } from './Icon.tsx';

export function Launcher() {
  const { panel, strings, closePanel } = useWidget();
  const { open } = usePanel();
  const unread = useUnread();
  const button = useRef<HTMLButtonElement>(null);
  useFocusBackOnClose(button, open);
  return (
    <button
      ref={button}
      type="button"
      class="launcher"
      aria-label={open ? strings.closeChat : strings.openChat(unread)}
      aria-expanded={open}
      onClick={() => (open ? closePanel() : panel.set({ ...panel.get(), open: true }))}
    >
      <Icon name={open ? 'close' : 'chat'} size={26} />
      {unread > 0 && !open && (
        <span class="launcher-badge" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </button>
  );
}

/**
 * A panel that hides the launcher while open (full screen on a phone) takes the focus away with it when it
 * closes from its header: the launcher takes it back, unless the focus has already gone somewhere on the page.
 */
function useFocusBackOnClose(button: { current: HTMLButtonElement | null }, open: boolean): void {
  const wasOpen = useRef(open);
  useEffect(() => {
    const closed = wasOpen.current && !open;
    wasOpen.current = open;
    const root = button.current?.getRootNode() as ShadowRoot | undefined;
    const lost = document.activeElement === document.body || document.activeElement === root?.host;
    if (closed && lost && !root?.activeElement) button.current?.focus();
  }, [button, open]);
}
