// Exports a record's dossier as the signed-in user may see it: the JSON dossier, or the printable HTML page
// (print it to PDF). Over REST, with the same token as the socket.
import type { Dossier, DossierFormat } from '../protocol/dossier.ts';
import type { ErrorResponse } from '../protocol/errors.ts';

export async function fetchDossier(
  server: { url: string; token: string },
  record: { type: string; id: string },
  format: DossierFormat,
): Promise<Dossier | string> {
  const base = server.url.replace(/\/+$/, '');
  const path = `/api/records/${encodeURIComponent(record.type)}/${encodeURIComponent(record.id)}/dossier`;
  const response = await fetch(`${base}${path}?format=${format}`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  if (response.ok) return format === 'html' ? response.text() : ((await response.json()) as Dossier);
  const error = ((await response.json().catch(() => null)) as ErrorResponse | null)?.error ?? {
    code: 'internal',
    message: `Parley answered ${response.status}`,
  };
  // The same shape as the client's other refusals: the server's error body on the thrown error.
  throw Object.assign(new Error(error.message), { body: error });
}
