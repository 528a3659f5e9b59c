// What happened, after it is committed, for whoever reacts to it outside the request (webhooks now;
// the notification ladder). Listeners run after the caller is answered and cannot fail it.
import type { Message } from '../../../protocol/models.ts';

export type DomainEvent =
  | { type: 'message.created'; message: Message }
  /** A change entry (an edit, a delete, a reaction) was committed; `message.change` says which. */
  | { type: 'message.changed'; message: Message }
  /** A closed record thread took new activity and is open again (the append reopened it). */
  | { type: 'record.reopened'; conversationId: string }
  /** A member read part of what was unread (the read cancelled their notifications there). */
  | { type: 'conversation.partly-read'; conversationId: string; userId: string };

export type DomainEventListener = (event: DomainEvent) => void | Promise<void>;

export interface DomainEvents {
  publish(event: DomainEvent): void;
  subscribe(listener: DomainEventListener): () => void;
}

export function createDomainEvents(
  onListenerError: (error: unknown, event: DomainEvent) => void,
): DomainEvents {
  const listeners = new Set<DomainEventListener>();
  return {
    publish(event) {
      for (const listener of listeners) {
        queueMicrotask(() => {
          Promise.resolve()
            .then(() => listener(event))
            .catch((error: unknown) => onListenerError(error, event));
        });
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
