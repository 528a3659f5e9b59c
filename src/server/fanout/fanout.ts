// The seam between deciding who must hear of an event (domain) and getting it to their sockets (transport).
// The Socket.IO implementation reaches other nodes through its adapter (Redis when scaled out).
import type { ServerToClientEvents } from '../../protocol/events.ts';

export type ServerEvent = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

export interface FanOut {
  /**
   * To every socket of every member of the conversation, but the connection `exceptConnection` (a socket
   * id: the one whose ack already carries it); encoded once however many receive it.
   */
  toConversation<E extends ServerEvent>(
    conversationId: string,
    event: E,
    payload: ServerEventPayload<E>,
    exceptConnection?: string,
  ): void;
  /** To every socket of every member of the conversation but the user's own (all of their tabs). */
  toConversationExceptUser<E extends ServerEvent>(
    conversationId: string,
    userId: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): void;
  /** To every socket in any of the conversations, each socket once however many it shares. */
  toConversations<E extends ServerEvent>(
    conversationIds: readonly string[],
    event: E,
    payload: ServerEventPayload<E>,
  ): void;
  /** To every socket (tab, device) of each of the users. */
  toUsers<E extends ServerEvent>(userIds: readonly string[], event: E, payload: ServerEventPayload<E>): void;
  /** Subscribes the users' connected sockets to the conversation's events. */
  addUsersToConversation(userIds: readonly string[], conversationId: string): Promise<void>;
  /** Whether the connection, one of this node's, is subscribed to the conversation's events. */
  isSubscribed(connectionId: string, conversationId: string): boolean;
  /** Unsubscribes the users' sockets at once: revoked access stops the next event, not the next reconnect. */
  removeUsersFromConversation(userIds: readonly string[], conversationId: string): Promise<void>;
}

export const conversationRoom = (conversationId: string) => `c:${conversationId}`;
export const userRoom = (userId: string) => `u:${userId}`;
