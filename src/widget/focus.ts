// Keyboard focus inside the panel: a trap while it floats over the page (Tab wraps around), and where
// focus lands when the view changes.

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

const focusables = (container: HTMLElement) =>
  [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.getClientRects().length > 0,
  );

/** The focused element, looking into the widget's shadow root. */
const activeIn = (container: HTMLElement) => (container.getRootNode() as Document | ShadowRoot).activeElement;

/** Keeps Tab and Shift+Tab cycling through the controls of `container`. */
export function trapFocus(event: KeyboardEvent, container: HTMLElement): void {
  const items = focusables(container);
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) return;
  const active = activeIn(container);
  if (event.shiftKey && (active === first || active === container)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * Moves focus to `preferred`, else the view's `[data-autofocus]` control, else its first control. On touch
 * screens a text field is not focused (the keyboard would cover half the screen): the panel is.
 */
export function focusView(panel: HTMLElement, view: Element | null, preferred: HTMLElement | null): void {
  const target =
    preferred ??
    view?.querySelector<HTMLElement>('[data-autofocus]') ??
    (view && focusables(view as HTMLElement)[0]);
  const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
  if (typing && !matchMedia('(pointer: fine)').matches) panel.focus();
  else (target ?? panel).focus();
}
