// A finger held still on an element for half a second, as phones open a context menu: it runs `press`
// instead of the browser's menu, and the click that ends it does nothing more. Moving the finger (a
// scroll), lifting it early or a second finger cancels it; a hold on a link keeps the browser's own menu.
import type { RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

const HOLD_MS = 500;
/** How far a finger may drift and still be holding still. */
const SLOP_PX = 10;

export function useLongPress(target: RefObject<HTMLElement | null>, press: () => void): void {
  const latest = useRef(press);
  latest.current = press;
  useEffect(() => {
    const element = target.current;
    if (!element) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let start: { x: number; y: number } | undefined;
    let pressed = false;
    const cancel = () => {
      clearTimeout(timer);
      start = undefined;
    };
    const listeners: [string, (event: PointerEvent) => void, boolean?][] = [
      [
        'pointerdown',
        (event) => {
          cancel();
          pressed = false;
          const onLink = event.target instanceof Element && event.target.closest('a');
          if (event.pointerType !== 'touch' || !event.isPrimary || onLink) return;
          start = { x: event.clientX, y: event.clientY };
          timer = setTimeout(() => {
            start = undefined;
            pressed = true;
            latest.current();
          }, HOLD_MS);
        },
      ],
      [
        'pointermove',
        (event) => {
          if (start && Math.hypot(event.clientX - start.x, event.clientY - start.y) > SLOP_PX) cancel();
        },
      ],
      ['pointerup', cancel],
      // The browser takes a moving finger over for scrolling, and says so.
      ['pointercancel', cancel],
      [
        'contextmenu',
        (event) => {
          if (start || pressed) event.preventDefault();
        },
      ],
      [
        'click',
        (event) => {
          if (!pressed) return;
          pressed = false;
          event.preventDefault();
          event.stopPropagation();
        },
        true,
      ],
    ];
    for (const [type, listener, capture] of listeners)
      element.addEventListener(type, listener as EventListener, capture);
    return () => {
      cancel();
      for (const [type, listener, capture] of listeners)
        element.removeEventListener(type, listener as EventListener, capture);
    };
  }, [target]);
}
