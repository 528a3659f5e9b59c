// The catalogue of Socket.IO events: every event a client emits (its payload and what its ack answers) and
// every event the server pushes (its payload). The typed event maps for Socket.IO, docs/protocol.md and the
// socket tests all come from here, so an event is added by adding one entry.
import { z } from 'zod';
import type { Ack, ErrorCode } from './errors.ts';
import {
  connectErrorDataSchema,
  conversationUpdateSchema,
  socketMarkReadSchema,
  socketMessagePageSchema,
  socketPresenceSchema,
  socketRefreshTokenSchema,
  socketSendMessageSchema,
  socketTypingSchema,
  syncRequestSchema,
  syncResponseSchema,
} from './events.ts';
import {
  messageActionResponseSchema,
  socketDeleteMessageSchema,
  socketEditMessageSchema,
  socketReactionSchema,
} from './message-actions.ts';
import { conversationSchema, messageSchema, userPresenceSchema } from './models.ts';
import { messagePageSchema } from './rest.ts';

export interface ClientEventSpec {
  summary: string;
  payload: z.ZodType;
  /** What a successful ack carries besides `ok: true`. */
  result: z.ZodType;
  /** A signal: the ack is optional, and a refused signal sent without one is dropped without a word. */
  signal?: true;
  /** Codes the ack may carry besides those every event may (see `everyEventErrors`). */
  errors: readonly ErrorCode[];
}

export interface ServerEventSpec {
  summary: string;
  payload: z.ZodType;
}

/** Any event may be refused for these: a payload the schema rejects, the user's budget, our own failure. */
export const everyEventErrors: readonly ErrorCode[] = ['invalid_payload', 'rate_limited', 'internal'];

const nothing = z.strictObject({});

export const clientEvents = {
  'message:send': {
    summary:
      'Sends a message. Acknowledged only once it is committed; a resend with the same `clientMsgId` answers ' +
      'the original message and stores nothing.',
    payload: socketSendMessageSchema,
    result: z.strictObject({ message: messageSchema }),
    errors: [
      'empty_message',
      'message_too_long',
      'not_found',
      'forbidden',
      'idempotency_conflict',
      'unavailable',
    ],
  },
  'message:edit': {
    summary:
      "Edits the text of one of the user's messages, as `PATCH /api/messages/:id`; the change reaches every " +
      'member as a `message:new` entry of kind `change`.',
    payload: socketEditMessageSchema,
    result: messageActionResponseSchema,
    errors: ['empty_message', 'message_too_long', 'not_found', 'forbidden', 'unavailable'],
  },
  'message:delete': {
    summary: 'Deletes a message for everyone, as `DELETE /api/messages/:id`.',
    payload: socketDeleteMessageSchema,
    result: messageActionResponseSchema,
    errors: ['not_found', 'forbidden', 'unavailable'],
  },
  'reaction:add': {
    summary: "Adds the user's reaction to a message, as `PUT /api/messages/:id/reactions/:emoji`.",
    payload: socketReactionSchema,
    result: messageActionResponseSchema,
    errors: ['not_found', 'forbidden', 'unavailable'],
  },
  'reaction:remove': {
    summary: "Takes the user's reaction back, as `DELETE /api/messages/:id/reactions/:emoji`.",
    payload: socketReactionSchema,
    result: messageActionResponseSchema,
    errors: ['not_found', 'forbidden', 'unavailable'],
  },
  'conversation:read': {
    summary: "Moves the user's read cursor: forward only, never past the conversation's last seq.",
    payload: socketMarkReadSchema,
    result: z.strictObject({ lastReadSeq: z.number().int() }),
    errors: ['not_found'],
  },
  sync: {
    summary:
      'Everything missed since the given cursors (at most `SYNC_MAX_CURSORS` = 1000 per request); answered ' +
      'only once this socket receives live events, so nothing falls between the answer and the live stream.',
    payload: syncRequestSchema,
    result: syncResponseSchema,
    errors: ['unavailable'],
  },
  'messages:page': {
    summary: 'One page of history, as `GET /api/conversations/:id/messages`.',
    payload: socketMessagePageSchema,
    result: messagePageSchema,
    errors: ['not_found'],
  },
  typing: {
    summary:
      "The user started or stopped typing; relayed to the conversation's other members (coalesced), never stored.",
    payload: socketTypingSchema,
    result: nothing,
    signal: true,
    errors: ['not_found'],
  },
  'presence:set': {
    summary: 'This connection is active (`online`) or idle (`away`: no input, hidden tab, or set by hand).',
    payload: socketPresenceSchema,
    result: nothing,
    signal: true,
    errors: [],
  },
  'auth:refresh': {
    summary:
      'A fresh token for this connection, before the current one expires; the socket stays connected. A token ' +
      'for another user is refused and the connection keeps its current one.',
    payload: socketRefreshTokenSchema,
    result: z.strictObject({ expiresAt: z.string().describe('When the new token expires.') }),
    errors: ['unauthorized', 'forbidden'],
  },
} as const satisfies Record<string, ClientEventSpec>;

export const serverEvents = {
  'message:new': {
    summary:
      "A committed message or change, to every member's sockets including the sender's other tabs (not the " +
      "connection it was sent on: its ack carries it). One node emits a conversation's entries in seq order. " +
      'An entry of kind `change` updates the message it names; a client skips kinds it does not know.',
    payload: z.strictObject({ message: messageSchema }),
  },
  'conversation:joined': {
    summary:
      'The user became a member of a conversation (created or added): its sockets are already in its room.',
    payload: z.strictObject({ conversation: conversationSchema }),
  },
  'conversation:read': {
    summary:
      "The user's read cursor moved (on any of their tabs), or what is unread after it changed (a message " +
      'that mentioned them was deleted).',
    payload: z.strictObject({
      conversationId: z.string(),
      lastReadSeq: z.number().int(),
      unreadCount: z.number().int(),
      mentionCount: z.number().int(),
    }),
  },
  'conversation:muted': {
    summary: 'The user muted or unmuted the conversation (on any of their tabs or devices).',
    payload: z.strictObject({ conversationId: z.string(), muted: z.boolean() }),
  },
  'conversation:left': {
    summary:
      'The user is no longer a member (left, removed, or out of scope): its sockets have left its room.',
    payload: z.strictObject({ conversationId: z.string() }),
  },
  'conversation:updated': {
    summary:
      'A conversation the user is in changed for all its members: renamed, archived or re-scoped, its host ' +
      'record changed (title, link, context card, status, audience), or someone joined, was added, left or ' +
      'was removed. Carries what every member sees of it now, as a fresh sync would.',
    payload: z.strictObject({ conversation: conversationUpdateSchema }),
  },
  presence: {
    summary:
      'A user who shares a conversation with this one came online, went idle or went offline (at most one ' +
      'change per user per relay interval). Also sent when someone joins a direct or group conversation: ' +
      "each newcomer's current presence to its members, and each member's to the newcomers.",
    payload: userPresenceSchema,
  },
  typing: {
    summary:
      'Someone in the conversation is typing (stops on `typing: false` or after 5 s without a refresh); never ' +
      "echoed to the typist's own tabs.",
    payload: z.strictObject({ conversationId: z.string(), userId: z.string(), typing: z.boolean() }),
  },
  'conversation:read-by': {
    summary: 'In a direct or group conversation: a member read up to `lastReadSeq` (read receipts).',
    payload: z.strictObject({
      conversationId: z.string(),
      userId: z.string(),
      lastReadSeq: z.number().int(),
    }),
  },
  'auth:expiring': {
    summary:
      "The connection's token expires soon: send `auth:refresh` with a new one or be disconnected at expiry.",
    payload: z.strictObject({ expiresAt: z.string() }),
  },
} as const satisfies Record<string, ServerEventSpec>;

/** What a refused handshake's `connect_error` carries in `err.data`. */
export const connectError = {
  summary:
    'A refused handshake: `unauthorized` (bad or missing token), `rate_limited` (too many handshakes from ' +
    'the address), `too_many_connections` (the user or the address holds as many sockets as allowed) or ' +
    '`unavailable` (the database cannot be reached).',
  payload: connectErrorDataSchema,
} as const satisfies ServerEventSpec;

type ClientEvents = typeof clientEvents;
type AckCallback<E extends keyof ClientEvents> = (result: Ack<z.infer<ClientEvents[E]['result']>>) => void;
type ClientPayload<E extends keyof ClientEvents> = z.input<ClientEvents[E]['payload']>;

type SignalEvent = {
  [E in keyof ClientEvents]: ClientEvents[E] extends { signal: true } ? E : never;
}[keyof ClientEvents];

/** Events a client emits; each answers through its ack callback (optional for signals). */
export type ClientToServerEvents = {
  [E in Exclude<keyof ClientEvents, SignalEvent>]: (payload: ClientPayload<E>, ack: AckCallback<E>) => void;
} & {
  [E in SignalEvent]: (payload: ClientPayload<E>, ack?: AckCallback<E>) => void;
};

/** Events the server pushes. */
export type ServerToClientEvents = {
  [E in keyof typeof serverEvents]: (payload: z.infer<(typeof serverEvents)[E]['payload']>) => void;
};
