// Exports a record's dossier as the signed-in user may see it: the JSON dossier, or the printable HTML page
// (print it to PDF). Over REST, with the same token as the socket.
import type { Dossier, DossierFormat } from '../protocol/dossier.ts';
import { getFromParley } from './rest.ts';

export async function fetchDossier(
  server: { url: string; token: string },
  record: { type: string; id: string },
  format: DossierFormat,
): Promise<Dossier | string> {
  const path = `/api/records/${encodeURIComponent(record.type)}/${encodeURIComponent(record.id)}/dossier`;
  const response = await getFromParley(server.url, server.token, `${path}?format=${format}`);
  return format === 'html' ? response.text() : ((await response.json()) as Dossier);
}
