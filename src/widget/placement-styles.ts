// Where the launcher and the panel sit on the host page: the offsets that keep them clear of the host's own
// bars, and the docked panel's column at the side. Placed inside styles.ts before its phone rules, which win.

/** An offset the host set with `Parley.init({ offset })` or with its own CSS on `parley-chat`. */
const offset = (edge: 'top' | 'bottom' | 'side') => `var(--parley-offset-${edge}, 0px)`;

export const placementStyles = `
:host { --dock-width: min(384px, 50vw); }
.launcher { bottom: calc(max(20px, env(safe-area-inset-bottom)) + ${offset('bottom')}); right: calc(20px + ${offset('side')}); }
:host([position=left]) .launcher { left: calc(20px + ${offset('side')}); }
.panel.floating {
  right: calc(20px + ${offset('side')}); bottom: calc(88px + ${offset('bottom')});
  height: min(680px, calc(100vh - 112px - ${offset('top')} - ${offset('bottom')}));
}
:host([position=left]) .panel.floating { left: calc(20px + ${offset('side')}); }
@media (min-width: 640px) {
  .panel.docked {
    top: ${offset('top')}; bottom: ${offset('bottom')}; right: ${offset('side')}; width: var(--dock-width); height: auto;
    border-radius: 0; border-left: 1px solid var(--border); box-shadow: -6px 0 24px rgba(15,23,42,.08);
    animation: parley-dock-in .18s ease-out;
  }
  :host([position=left]) .panel.docked {
    right: auto; left: ${offset('side')}; border-left: 0; border-right: 1px solid var(--border);
    box-shadow: 6px 0 24px rgba(15,23,42,.08);
  }
  /* The launcher keeps its corner of the page, beside the column rather than on its composer. */
  .panel.docked ~ .launcher { right: calc(var(--dock-width) + 20px + ${offset('side')}); }
  :host([position=left]) .panel.docked ~ .launcher { left: calc(var(--dock-width) + 20px + ${offset('side')}); }
}
@keyframes parley-dock-in { from { opacity: 0; } }
`;
