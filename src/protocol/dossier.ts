// The record dossier: one record's thread exported for one audience, as JSON or as a printable HTML page
// (`GET /api/records/:type/:id/dossier`, docs/records.md).
import { z } from 'zod';
import { messageKinds, recordInfoSchema } from './models.ts';

export const dossierFormats = ['json', 'html'] as const;
export type DossierFormat = (typeof dossierFormats)[number];

/** A signed-in user exports what they see; there is nobody else to export for. */
export const dossierQuerySchema = z.strictObject({ format: z.enum(dossierFormats).default('json') });

/** A host back-end names the organisation it exports for: it never gets a superset by default. */
export const hostDossierQuerySchema = z.strictObject({
  format: z.enum(dossierFormats).default('json'),
  org: z.string().min(1).max(200),
});

export const dossierOrganizationSchema = z.strictObject({ id: z.string(), name: z.string() });
export type DossierOrganization = z.infer<typeof dossierOrganizationSchema>;

export const dossierSenderSchema = z.strictObject({
  id: z.string(),
  displayName: z.string(),
  organization: dossierOrganizationSchema,
});
export type DossierSender = z.infer<typeof dossierSenderSchema>;

/** A file a message carried, as the dossier lists it (members download it from Parley by its id). */
export const dossierFileSchema = z
  .strictObject({ id: z.string(), name: z.string(), contentType: z.string(), size: z.number().int() })
  .meta({ id: 'DossierFile' });

/** One line of the timeline: a person's message, a host event, or an internal note. */
export const dossierEntrySchema = z
  .strictObject({
    id: z.string().describe("The message's id."),
    conversationId: z.string().describe("The thread's, or the notes conversation's for an internal note."),
    seq: z.number().int().describe('Position in its own conversation.'),
    kind: z
      .enum(messageKinds)
      .describe("`event`: posted by the host's back-end about the record, not written by a person."),
    internalNote: dossierOrganizationSchema
      .nullable()
      .describe('Set for an internal note: the one organisation whose people see it.'),
    sender: dossierSenderSchema,
    body: z.string().nullable().describe('Null for a deleted message: its words are not exported.'),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    deletedAt: z.string().nullable(),
    attachments: z
      .array(dossierFileSchema)
      .describe('The files the message carries (none once deleted): names and sizes, not their bytes.'),
  })
  .meta({ id: 'DossierEntry' });
export type DossierEntry = z.infer<typeof dossierEntrySchema>;

export const dossierSchema = z
  .strictObject({
    record: recordInfoSchema,
    exportedAt: z.string(),
    exportedBy: z
      .strictObject({ kind: z.enum(['user', 'api_key']), id: z.string(), name: z.string() })
      .describe("Who asked: a signed-in user, or a host back-end's API key."),
    audience: dossierOrganizationSchema.describe(
      "Whose view this is: the user's organisation, or the one the host back-end named.",
    ),
    entries: z
      .array(dossierEntrySchema)
      .describe("The thread's messages and events with the audience's internal notes, oldest first."),
    attachments: z
      .array(dossierFileSchema.extend({ messageId: z.string() }))
      .describe("Every file of the entries, in their order: the record's documents at a glance."),
  })
  .meta({ id: 'Dossier' });
export type Dossier = z.infer<typeof dossierSchema>;
