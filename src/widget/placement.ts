// Where the widget sits on the host page, as the host chose it: floating over the page, docked in a column at
// its side, or filling a container; offsets keep it clear of the host's own bars. A docked panel tells the
// host how much room it takes with `--parley-docked-width` on <html>, so that the host's layout can give way.
import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const layouts = ['floating', 'docked', 'page'] as const;
export type Layout = (typeof layouts)[number];

/** Pixels between the widget and the viewport's edges (`side`: the edge of its `position`). */
export interface Offset {
  top?: number;
  bottom?: number;
  side?: number;
}

/** What the host's CSS reads while a docked panel is open beside its page; unset otherwise. */
export const DOCKED_WIDTH_PROPERTY = '--parley-docked-width';
/** Below this width the panel fills the screen, docked or not (styles.ts). */
const PHONE_MEDIA = '(max-width: 639.98px)';

/** The host's choice of layout, floating by default; anything else is the host's mistake. */
export function layoutOf(mode: string | undefined): Layout {
  const layout = layouts.find((candidate) => candidate === (mode ?? 'floating'));
  if (!layout) throw new Error(`Parley.init: mode must be ${layouts.join(', ')}, not "${mode}"`);
  return layout;
}

/** The offsets as custom properties for the element; a negative or non-numeric one is the host's mistake. */
export function offsetProperties(offset: Offset | undefined): [name: string, value: string][] {
  return Object.entries(offset ?? {}).map(([edge, value]) => {
    if (!['top', 'bottom', 'side'].includes(edge)) throw new Error(`Parley.init: unknown offset "${edge}"`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new Error(`Parley.init: offset.${edge} must be a number of pixels, 0 or more`);
    return [`--parley-offset-${edge}`, `${value}px`];
  });
}

/**
 * While the docked panel is open beside the page, `--parley-docked-width` on <html> is the room it takes
 * from its edge of the viewport (its width and side offset); on phones, where it covers the page, it is unset.
 */
export function useDockedWidth(panel: RefObject<HTMLElement | null>, docked: boolean): void {
  useEffect(() => {
    const element = panel.current;
    if (!docked || !element) return;
    const root = document.documentElement;
    const phone = matchMedia(PHONE_MEDIA);
    const left = (element.getRootNode() as ShadowRoot).host?.getAttribute('position') === 'left';
    const update = () => {
      // Layout boxes, not the client rect: the opening animation must not change what the host is told.
      const room = left ? element.offsetLeft + element.offsetWidth : root.clientWidth - element.offsetLeft;
      if (phone.matches) root.style.removeProperty(DOCKED_WIDTH_PROPERTY);
      else root.style.setProperty(DOCKED_WIDTH_PROPERTY, `${Math.round(room)}px`);
    };
    update();
    const resizes = new ResizeObserver(update);
    resizes.observe(element);
    phone.addEventListener('change', update);
    window.addEventListener('resize', update);
    return () => {
      resizes.disconnect();
      phone.removeEventListener('change', update);
      window.removeEventListener('resize', update);
      root.style.removeProperty(DOCKED_WIDTH_PROPERTY);
    };
  }, [panel, docked]);
}

/** Whether the screen is a phone's, where the panel covers the page whatever the layout. */
export function usePhone(): boolean {
  const [phone, setPhone] = useState(() => matchMedia(PHONE_MEDIA).matches);
  useEffect(() => {
    const media = matchMedia(PHONE_MEDIA);
    const update = () => setPhone(media.matches);
    update();
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);
  return phone;
}
