// A short message about an action that failed (a mute that did not save), shown for a few seconds.
import { useEffect } from 'preact/hooks';
import { useValue, useWidget } from '../state.ts';

const SHOWN_MS = 6000;

export function Toast() {
  const { toast } = useWidget();
  const text = useValue(toast);
  useEffect(() => {
    if (!text) return;
    const timer = setTimeout(() => toast.set(''), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [text, toast]);
  return (
    <div class="toast" role="alert" hidden={!text}>
      {text}
    </div>
  );
}
