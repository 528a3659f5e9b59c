// How files look: thumbnails and file buttons under a message, the files being attached above the composer,
// and a thread with files dragged over it (file-drop.ts); the lightbox's look is in extras/styles.ts.
export const attachmentStyles = `
.files { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 4px; max-width: 100%; }
.mine .files { justify-content: flex-end; }
.file-image { padding: 0; border: 1px solid var(--border); border-radius: 10px; overflow: hidden; background: var(--surface); }
.file-image img { display: block; max-width: min(240px, 100%); max-height: 180px; width: auto; height: auto; }
.file, .uploads li {
  display: inline-flex; align-items: center; gap: 6px; max-width: 100%; padding: 6px 10px; border-radius: 10px;
  border: 1px solid var(--border); background: var(--surface); color: var(--text); font-size: 13px;
}
.file-name { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.file-size, .upload-state { color: var(--muted); font-size: 12px; white-space: nowrap; }
.upload-state.failed { color: var(--danger, #b42318); }
.uploads { flex-basis: 100%; display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 0; list-style: none; }
.attach { flex: none; width: 40px; height: 40px; }
.thread[data-dropping]::after {
  content: attr(data-dropping); position: absolute; inset: 6px; z-index: 6; display: grid; place-items: center;
  padding: 24px; border: 2px dashed var(--brand); border-radius: 12px; pointer-events: none;
  background: color-mix(in srgb, var(--bg) 88%, transparent); color: var(--text); font-weight: 600; text-align: center;
}
`;
