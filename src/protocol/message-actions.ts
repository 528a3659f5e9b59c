// Payloads of the actions on a sent message (edit, delete for everyone, reactions, its edit history) and the
// quote a reply shows: each action answers the message's new state and the change entry that carries it to
// every member in the conversation's ordered stream (docs/delivery.md). Quotes are in quotes.ts.
import { z } from 'zod';
import { messageSchema } from './models.ts';
import { mentionsSchema, messageBodySchema, messageIdSchema } from './rest.ts';

// Built from a string: the `v` flag (Unicode sets, which know emoji sequences) is newer than the compile target.
// biome-ignore lint/complexity/useRegexLiterals: a literal with the `v` flag does not compile for ES2022
const singleEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');

/**
 * One emoji as Unicode writes it (with its skin tone or sequence), not a name: what every client can show
 * and compare. At most 32 code units, which the longest family sequences fit.
 */
export const emojiSchema = z
  .string()
  .max(32)
  .refine((value) => singleEmoji.test(value), 'must be a single emoji');

export const messageParamsSchema = z.strictObject({ id: messageIdSchema });
export const reactionParamsSchema = z.strictObject({ id: messageIdSchema, emoji: emojiSchema });

export const editMessageRequestSchema = z.strictObject({
  body: messageBodySchema,
  mentions: mentionsSchema.describe(
    'Everyone the new text mentions; only those it did not before are notified.',
  ),
});
export type EditMessageRequest = z.infer<typeof editMessageRequestSchema>;

export const socketEditMessageSchema = editMessageRequestSchema.extend({ messageId: messageIdSchema });
export type SocketEditMessage = z.input<typeof socketEditMessageSchema>;

export const socketDeleteMessageSchema = z.strictObject({ messageId: messageIdSchema });
export type SocketDeleteMessage = z.infer<typeof socketDeleteMessageSchema>;

export const socketReactionSchema = z.strictObject({ messageId: messageIdSchema, emoji: emojiSchema });
export type SocketReaction = z.infer<typeof socketReactionSchema>;

export const messageActionResponseSchema = z
  .strictObject({
    message: messageSchema.describe('The message in its state after the action.'),
    change: messageSchema
      .nullable()
      .describe(
        'The change entry that carries the action to every member; null when the action changed nothing ' +
          '(the same text, a reaction already there or already gone, a message already deleted).',
      ),
  })
  .meta({ id: 'MessageActionResult' });
export type MessageActionResponse = z.infer<typeof messageActionResponseSchema>;

export const messageVersionSchema = z
  .strictObject({
    version: z.number().int().describe('1 for the text as first sent.'),
    body: z.string(),
    writtenAt: z.string().describe('When this text was written: the send or the edit that wrote it.'),
    replacedAt: z.string().describe('When an edit replaced it.'),
  })
  .meta({ id: 'MessageVersion' });
export type MessageVersion = z.infer<typeof messageVersionSchema>;

export const messageVersionsResponseSchema = z.strictObject({
  versions: z
    .array(messageVersionSchema)
    .describe('Earlier texts, oldest first; the current one is the message.'),
});
export type MessageVersionsResponse = z.infer<typeof messageVersionsResponseSchema>;
