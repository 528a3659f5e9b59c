// The connection as a coloured dot and a word, for the list header; a banner when a thread is cut off.
import { useEffect, useState } from 'preact/hooks';
import { useStatus, useWidget } from '../state.ts';

export function ConnectionStatus() {
  const { strings } = useWidget();
  const status = useStatus();
  const label = { connected: strings.connected, connecting: strings.connecting, offline: strings.offline }[
    status
  ];
  return (
    <span class="status" role="status">
      <span class={`status-dot ${status}`} aria-hidden="true" />
      {label}
    </span>
  );
}

/** Shown only when the connection has been down for a moment: a quick reconnect should not flash. */
export function ConnectionBanner() {
  const { strings } = useWidget();
  const status = useStatus();
  const [late, setLate] = useState(false);
  useEffect(() => {
    setLate(false);
    if (status === 'connected') return;
    const timer = setTimeout(() => setLate(true), 1500);
    return () => clearTimeout(timer);
  }, [status]);
  return (
    <div class="banner" role="status" hidden={!late || status === 'connected'}>
      {strings.reconnecting}
    </div>
  );
}
