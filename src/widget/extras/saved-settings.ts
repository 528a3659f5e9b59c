// Settings that are saved as they change (the user's notification settings, the company's defaults): each
// change alone, at once (the PATCH names only that field, so a change made meanwhile on another device to
// another field stays), shown at once, and put back if the server refuses it; a status line says which.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { NotificationStrings } from './notification-strings.ts';

export interface SavedSettings<T, C> {
  /** As last stored (or as changed, while the change is on its way); null until loaded. */
  value: T | null;
  /** Why they could not be loaded, or ''. */
  loadError: string;
  /** Saving…, Saved, or why not. */
  status: string;
  save(change: C): void;
}

export function useSavedSettings<T extends object, C extends Partial<T>>(
  load: () => Promise<T>,
  store: (change: C) => Promise<T>,
  strings: NotificationStrings,
  loadFailed: (reason: string) => string,
): SavedSettings<T, C> {
  const [value, setValue] = useState<T | null>(null);
  const [loadError, setLoadError] = useState('');
  const [status, setStatus] = useState('');
  // Only the newest save's answer is shown: an older one must not undo a change made after it.
  const saves = useRef(0);

  useEffect(() => {
    let current = true;
    load().then(
      (loaded) => current && setValue(loaded),
      (failure: Error) => current && setLoadError(loadFailed(failure.message)),
    );
    return () => {
      current = false;
    };
  }, []);

  const save = (change: C) => {
    const before = value;
    if (!before) return;
    const save = ++saves.current;
    setValue({ ...before, ...change });
    setStatus(strings.saving);
    store(change).then(
      (stored) => {
        if (save !== saves.current) return;
        setValue(stored);
        setStatus(strings.saved);
      },
      (failure: Error) => {
        if (save !== saves.current) return;
        setValue(before);
        setStatus(strings.saveFailed(failure.message));
      },
    );
  };
  return { value, loadError, status, save };
}
