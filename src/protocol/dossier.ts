// The record dossier: one record's thread exported for one audience, as JSON or as a printable HTML page
// (`GET /api/records/:type/:id/dossier`, docs/records.md).
import { z } from 'zod';
import type { MessageKind, RecordInfo } from './models.ts';

export const dossierFormats = ['json', 'html'] as const;
export type DossierFormat = (typeof dossierFormats)[number];

/** A signed-in user exports what they see; there is nobody else to export for. */
export const dossierQuerySchema = z.strictObject({ format: z.enum(dossierFormats).default('json') });

/** A host back-end names the organisation it exports for: it never gets a superset by default. */
export const hostDossierQuerySchema = z.strictObject({
  format: z.enum(dossierFormats).default('json'),
  org: z.string().min(1).max(200),
});

export interface DossierOrganization {
  id: string;
  name: string;
}

export interface DossierSender {
  id: string;
  displayName: string;
  organization: DossierOrganization;
}

/** One line of the timeline: a person's message, a host event, or an internal note. */
export interface DossierEntry {
  /** The message's id. */
  id: string;
  /** The thread's, or the notes conversation's for an internal note. */
  conversationId: string;
  /** Position in its own conversation. */
  seq: number;
  /** `event`: posted by the host's back-end about the record, not written by a person. */
  kind: MessageKind;
  /** Set for an internal note: the one organisation whose people see it. */
  internalNote: DossierOrganization | null;
  sender: DossierSender;
  /** Null for a deleted message: its words are not exported. */
  body: string | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export interface Dossier {
  record: RecordInfo;
  exportedAt: string;
  /** Who asked: a signed-in user, or a host back-end's API key. */
  exportedBy: { kind: 'user' | 'api_key'; id: string; name: string };
  /** Whose view this is: the user's organisation, or the one the host back-end named. */
  audience: DossierOrganization;
  /** The thread's messages and events with the audience's internal notes, oldest first. */
  entries: DossierEntry[];
  /** Parley has no attachments yet: always empty, where they will be listed. */
  attachments: never[];
}
