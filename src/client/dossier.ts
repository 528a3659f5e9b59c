// Where a record's dossier is exported, as the signed-in user may see it: the JSON dossier, or the printable
// HTML page (print it to PDF).
import type { DossierFormat } from '../protocol/dossier.ts';

export function dossierPath(record: { type: string; id: string }, format: DossierFormat): string {
  const path = `/api/records/${encodeURIComponent(record.type)}/${encodeURIComponent(record.id)}/dossier`;
  return `${path}?format=${format}`;
}
