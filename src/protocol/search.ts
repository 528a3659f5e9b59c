// Full-text search over the messages a user may read: the query string of `GET /api/search` and its answer.
import { z } from 'zod';
import { conversationKinds, messageSchema, recordInfoSchema } from './models.ts';

/** Longest query text accepted; a longer one is refused with `invalid_query` rather than cut silently. */
export const maxSearchQueryLength = 500;
/** Terms (words, quoted phrases, identifiers) in one query; more is refused with `invalid_query`. */
export const maxSearchTerms = 16;

const entityId = z.string().min(1).max(200);
/** A day (`2024-05-01`, a whole day in UTC) or an instant with its offset (`2024-05-01T09:30:00+02:00`). */
const searchDateSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const searchQuerySchema = z
  .strictObject({
    /** websearch syntax: words, "quoted phrases", `or`, `-excluded`; identifiers like PO-1234 match by part too. */
    q: z.string().max(100_000),
    conversationId: entityId.optional(),
    senderId: entityId.optional(),
    /** A host record (both or neither): its thread and the notes about it. */
    recordType: z.string().min(1).max(50).optional(),
    recordId: entityId.optional(),
    /** Messages from this day or instant on. */
    from: searchDateSchema.optional(),
    /** Messages before this instant, or up to the end of this day. */
    to: searchDateSchema.optional(),
    hasLink: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
    /** `nextCursor` of the previous page, with the same query and filters. */
    cursor: z.string().min(1).max(1000).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .refine((query) => (query.recordType === undefined) === (query.recordId === undefined), {
    message: 'recordType and recordId go together',
    path: ['recordType'],
  });
export type SearchQuery = z.infer<typeof searchQuerySchema>;

/** A piece of a snippet: plain text, to be rendered as text (never as markup); `highlight` marks a match. */
export const snippetSegmentSchema = z.strictObject({ text: z.string(), highlight: z.boolean() });
export type SnippetSegment = z.infer<typeof snippetSegmentSchema>;

export const searchHitSchema = z
  .strictObject({
    message: messageSchema.describe(
      'The message as it reads now; open its thread at `message.conversationId` and `message.seq`.',
    ),
    conversation: z.strictObject({
      id: z.string(),
      kind: z.enum(conversationKinds),
      name: z.string().nullable(),
      record: recordInfoSchema
        .pick({ type: true, id: true, title: true })
        .nullable()
        .describe('For record threads and their notes: the record the conversation is about.'),
    }),
    sender: z.strictObject({ id: z.string(), displayName: z.string() }),
    snippet: z
      .array(snippetSegmentSchema)
      .describe('A window of the message around its first match, matches highlighted; `…` marks cut text.'),
    rank: z
      .number()
      .describe(
        'Relevance weighted by recency (docs/search.md); higher is better, comparable within one search only.',
      ),
  })
  .meta({ id: 'SearchHit' });
export type SearchHit = z.infer<typeof searchHitSchema>;

export const searchResponseSchema = z.strictObject({
  hits: z.array(searchHitSchema).describe('Best first.'),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null when there is none.'),
});
export type SearchResponse = z.infer<typeof searchResponseSchema>;
