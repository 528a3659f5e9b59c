// What the client SDK tells its users, and the one way its parts raise those events through the façade.
import type { ErrorBody } from '../protocol/errors.ts';
import type { Conversation, Message, UserPresence } from '../protocol/models.ts';
import type { OutgoingMessage } from './outbox.ts';

export type ConnectionStatus = 'connecting' | 'connected' | 'offline';

export interface ParleyClientEvents {
  status: (status: ConnectionStatus) => void;
  /** The conversation list or one conversation's summary changed. */
  conversations: (conversations: readonly Conversation[]) => void;
  /** Messages joined a conversation's contiguous timeline, in seq order (changes are not among them). */
  messages: (conversationId: string, messages: readonly Message[]) => void;
  /**
   * Held messages changed: edited, deleted (a tombstone), reacted to, or a message they quote changed.
   * Each is the message as it is now, to put in place of the one shown.
   */
  changed: (conversationId: string, messages: readonly Message[]) => void;
  /** A conversation's timeline started over (the server could not continue the client's cursor). */
  reset: (conversationId: string) => void;
  /** The outbox changed: a message was added, acknowledged, postponed or failed. */
  outbox: (pending: readonly OutgoingMessage[]) => void;
  /** Someone who shares a conversation came online, went idle or offline. */
  presence: (presence: UserPresence) => void;
  /** Who is typing in a conversation changed. */
  typing: (conversationId: string, userIds: readonly string[]) => void;
  /** A failure the client handles by retrying, reported for logs and UIs. */
  error: (error: ErrorBody | Error) => void;
}

/** Raises one of the client's events; each part of the SDK gets this from the façade that owns the listeners. */
export type EmitClientEvent = <E extends keyof ParleyClientEvents>(
  event: E,
  ...args: Parameters<ParleyClientEvents[E]>
) => void;
