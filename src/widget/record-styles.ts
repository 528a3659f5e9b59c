// The record thread's part of the widget's stylesheet: its context card under the header and its icon
// avatar; and the neutral presence dot shown while the viewer's own connection is down. Placed inside
// styles.ts after the thread's rules.

export const recordStyles = `
.record-card {
  flex: none; display: flex; align-items: flex-start; gap: 12px; padding: 8px 12px 8px 16px;
  border-bottom: 1px solid var(--border); background: var(--surface); font-size: 12.5px; line-height: 20px;
}
.record-facts {
  flex: 1; min-width: 0; padding: 0; border: 0; background: none; font: inherit; text-align: left;
  color: var(--muted); overflow-wrap: anywhere;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;
}
.record-facts[aria-expanded=true] { display: block; }
.record-status {
  display: inline-block; margin-right: 8px; padding: 0 8px; border-radius: 999px; line-height: 20px;
  background: color-mix(in srgb, var(--brand) 16%, var(--bg)); color: var(--text); font-weight: 650;
  text-transform: capitalize;
}
.record-status.closed { background: var(--surface-strong); }
.record-open {
  flex: none; display: inline-flex; align-items: center; gap: 4px; color: var(--link); font-weight: 600;
  text-decoration: underline; text-underline-offset: 2px; white-space: nowrap;
}
.avatar.record { border-radius: 11px; }
.avatar.small.record { border-radius: 9px; }
.presence.unknown { background: var(--bg); box-shadow: inset 0 0 0 2px var(--offline); }
`;
