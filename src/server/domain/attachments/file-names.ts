// The name an attachment is saved under: the uploader's, cleaned of what could mislead a reader or an
// operating system, and always ending in the extension of the type Parley detected.

const MAX_NAME_LENGTH = 200;
/** Control and format characters: among them the bidirectional overrides that make `gpj.exe` read as `exe.jpg`. */
const UNSAFE = /[\p{Cc}\p{Cf}]/gu;

/**
 * `extensions` are those the detected type is known by, the first preferred. A name already ending in one
 * keeps it; any other gets the preferred one appended (`invoice.exe` detected as PDF: `invoice.exe.pdf`).
 */
export function attachmentFileName(declared: string, extensions: readonly [string, ...string[]]): string {
  const base = declared.normalize('NFC').replace(UNSAFE, '').split(/[\\/]/).pop()?.trim().replace(/^\.+/, '');
  const stem = [...(base || 'attachment')].slice(0, MAX_NAME_LENGTH).join('');
  const dot = stem.lastIndexOf('.');
  const extension = dot > 0 ? stem.slice(dot + 1).toLowerCase() : '';
  return extensions.includes(extension) ? stem : `${stem}.${extensions[0]}`;
}
