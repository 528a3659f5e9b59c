// The round button in the corner that opens and closes the panel, with the unread badge.
import { usePanel, useUnread, useWidget } from '../state.ts';
import { Icon } from './Icon.tsx';

export function Launcher() {
  const { panel, strings, closePanel } = useWidget();
  const { open } = usePanel();
  const unread = useUnread();
  return (
    <button
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
