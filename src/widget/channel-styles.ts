// The channel forms' part of the widget's stylesheet: fields, choices and actions of creating a channel,
// which its settings (extras/styles.ts) share. Placed inside styles.ts after the thread's part.

export const channelStyles = `
.settings { padding: 12px 16px 20px; display: flex; flex-direction: column; gap: 14px; }
.settings fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.settings legend, .field-label { font-size: 13px; font-weight: 600; margin-bottom: 4px; }
.settings .field { display: flex; flex-direction: column; }
.field-hint { margin: 0; font-size: 12.5px; color: var(--muted); }
.field .field-hint { margin-top: 4px; }
.choice { display: flex; align-items: center; gap: 8px; font-size: 13.5px; cursor: pointer; }
.choice input { accent-color: var(--brand); width: 16px; height: 16px; margin: 0; }
.chooser .people { max-height: 240px; overflow-y: auto; }
.settings-actions { display: flex; flex-direction: column; gap: 8px; }
`;
