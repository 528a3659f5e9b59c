// Files dragged from the desktop over a thread: while they are over it the thread says where they will go
// (its `data-dropping` attribute holds the words, which the stylesheet shows over it), and dropped anywhere
// on it they are attached to the message being written, instead of the browser opening them. Drags of
// anything else (selected text, a link) are left to the browser.
import type { RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function useFileDrop(
  zone: RefObject<HTMLElement | null>,
  label: string,
  attach: (files: File[]) => void,
): void {
  const latest = useRef(attach);
  latest.current = attach;
  useEffect(() => {
    const element = zone.current;
    if (!element) return;
    // Entering an element inside the zone comes before leaving the one before: count, to see the last leave.
    let depth = 0;
    const show = (over: boolean) =>
      over ? element.setAttribute('data-dropping', label) : element.removeAttribute('data-dropping');
    const withFiles =
      (handle: (event: DragEvent & { dataTransfer: DataTransfer }) => void) => (event: DragEvent) => {
        if (event.dataTransfer?.types.includes('Files'))
          handle(event as DragEvent & { dataTransfer: DataTransfer });
      };
    const listeners: [string, (event: DragEvent) => void][] = [
      [
        'dragenter',
        withFiles(() => {
          depth += 1;
          show(true);
        }),
      ],
      [
        'dragover',
        withFiles((event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
        }),
      ],
      [
        'dragleave',
        withFiles(() => {
          depth = Math.max(0, depth - 1);
          if (depth === 0) show(false);
        }),
      ],
      [
        'drop',
        withFiles((event) => {
          event.preventDefault();
          depth = 0;
          show(false);
          latest.current([...event.dataTransfer.files]);
        }),
      ],
    ];
    for (const [type, listener] of listeners) element.addEventListener(type, listener as EventListener);
    return () => {
      show(false);
      for (const [type, listener] of listeners) element.removeEventListener(type, listener as EventListener);
    };
  }, [zone, label]);
}
