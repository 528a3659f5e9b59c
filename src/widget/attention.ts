// Whether the person is at this page: away when it is hidden, or when nothing was typed, clicked, touched,
// scrolled or pointed at for a few minutes. Away on every client is what lets the notification ladder
// reach them (docs/notifications.md): an open tab on an empty desk must not swallow their push and email.
const IDLE_MS = 5 * 60 * 1000;
const CHECK_MS = 30 * 1000;
const INPUTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus'] as const;

export interface Attention {
  readonly away: boolean;
  stop(): void;
}

export function watchAttention(onChange: (away: boolean) => void, now = () => Date.now()): Attention {
  let lastInput = now();
  let away = document.visibilityState === 'hidden';
  const update = () => {
    const next = document.visibilityState === 'hidden' || now() - lastInput > IDLE_MS;
    if (next === away) return;
    away = next;
    onChange(away);
  };
  const onInput = () => {
    lastInput = now();
    if (away) update();
  };
  for (const type of INPUTS) window.addEventListener(type, onInput, { passive: true, capture: true });
  document.addEventListener('visibilitychange', update);
  const timer = setInterval(update, CHECK_MS);
  return {
    get away() {
      return away;
    },
    stop() {
      clearInterval(timer);
      for (const type of INPUTS) window.removeEventListener(type, onInput, { capture: true });
      document.removeEventListener('visibilitychange', update);
    },
  };
}
