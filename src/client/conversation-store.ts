// The user's conversation summaries as the client holds them: kept current by the server's conversation
// events and by new messages, plus conversations created over REST until the socket confirms them. One
// sorted snapshot is made per change, so reading the list (on every message, in every render) never sorts.
import type { ServerToClientEvents } from '../protocol/events.ts';
import type { Conversation, Message } from '../protocol/models.ts';
import type { ClientSocket } from './connection.ts';
import { withMuted, withNewMessages, withReadBy, withReadCursor, withUpdate } from './summaries.ts';

type Handlers = { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] };

export interface MembershipListener {
  joined(conversation: Conversation): void;
  left(conversationId: string): void;
}

export class ConversationStore {
  private readonly byId = new Map<string, Conversation>();
  /** Created or joined over REST, until `conversation:joined` or a sync lists them. */
  private readonly held = new Map<string, Conversation>();
  private snapshot: readonly Conversation[] = [];

  /** @param changed called after every change, with the new snapshot. */
  constructor(private readonly changed: (conversations: readonly Conversation[]) => void) {}

  /** Most recently updated first; the same array until something changes. */
  get all(): readonly Conversation[] {
    return this.snapshot;
  }

  get(conversationId: string): Conversation | undefined {
    return this.byId.get(conversationId) ?? this.held.get(conversationId);
  }

  /** Whether the socket has confirmed the conversation (rather than only a REST answer). */
  isKnown(conversationId: string): boolean {
    return this.byId.has(conversationId);
  }

  /** Sets a summary the server sent; a held copy of it is no longer needed. Call `publish` after a batch. */
  put(conversation: Conversation): void {
    this.byId.set(conversation.id, conversation);
    this.held.delete(conversation.id);
  }

  remove(conversationId: string): void {
    this.byId.delete(conversationId);
    this.held.delete(conversationId);
  }

  /** A conversation a REST call created or joined: listed at once, before the socket's event arrives. */
  hold(conversation: Conversation): void {
    if (this.byId.has(conversation.id)) return;
    this.held.set(conversation.id, conversation);
    this.publish();
  }

  /** Changes one summary (known or held) and publishes the result; nothing happens for an unknown one. */
  update(conversationId: string, change: (conversation: Conversation) => Conversation): void {
    const map = this.byId.has(conversationId) ? this.byId : this.held;
    const conversation = map.get(conversationId);
    if (!conversation) return;
    const next = change(conversation);
    if (next === conversation) return;
    map.set(conversationId, next);
    this.publish();
  }

  /** The summary after messages joined the conversation's timeline. */
  addMessages(conversationId: string, appended: readonly Message[], meId: string | undefined): void {
    this.update(conversationId, (conversation) => withNewMessages(conversation, appended, meId));
  }

  /** Makes the sorted snapshot and tells the listener. */
  publish(): void {
    this.snapshot = [...this.byId.values(), ...this.held.values()].sort((a, b) =>
      b.updatedAt.localeCompare(a.updatedAt),
    );
    this.changed(this.snapshot);
  }

  /**
   * The server's summary events. `timelines` hears of joins and leaves first: it holds more of a
   * conversation than its summary, and must be ready when the list changes.
   */
  listen(socket: ClientSocket, timelines: MembershipListener): void {
    const handlers: Handlers = {
      'conversation:joined': ({ conversation }) => {
        timelines.joined(conversation);
        this.put(conversation);
        this.publish();
      },
      'conversation:updated': ({ conversation: update }) =>
        this.update(update.id, (conversation) => withUpdate(conversation, update)),
      'conversation:left': ({ conversationId }) => {
        this.remove(conversationId);
        timelines.left(conversationId);
        this.publish();
      },
      'conversation:read': ({ conversationId, ...cursor }) =>
        this.update(conversationId, (c) => withReadCursor(c, cursor)),
      'conversation:read-by': ({ conversationId, userId, lastReadSeq }) =>
        this.update(conversationId, (c) => withReadBy(c, userId, lastReadSeq)),
      'conversation:muted': ({ conversationId, muted }) =>
        this.update(conversationId, (c) => withMuted(c, muted)),
    };
    for (const [event, handler] of Object.entries(handlers)) {
      socket.on(event as keyof ServerToClientEvents, handler as never);
    }
  }
}
