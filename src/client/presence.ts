// Who is around: the presence of the people the user shares conversations with (replaced at every sync,
// updated live), who is typing where, and this client's own typing and away signals.
import type { UserPresence } from '../protocol/models.ts';
import type { EmitClientEvent } from './client-events.ts';
import type { ClientSocket } from './connection.ts';
import { TypingTracker } from './typing.ts';

export class PresenceBook {
  private readonly byUser = new Map<string, UserPresence>();
  private readonly typists: TypingTracker;

  constructor(
    private readonly socket: ClientSocket,
    private readonly emit: EmitClientEvent,
    now: () => number,
  ) {
    this.typists = new TypingTracker(
      (conversationId) => emit('typing', conversationId, this.typing(conversationId)),
      now,
    );
    socket.on('message:new', ({ message }) => this.typists.stopped(message.conversationId, message.senderId));
    socket.on('typing', ({ conversationId, userId, typing }) =>
      this.typists.received(conversationId, userId, typing),
    );
    socket.on('presence', (presence) => {
      this.byUser.set(presence.userId, presence);
      this.emit('presence', presence);
    });
  }

  /** Undefined when unknown: never heard of, or this client is disconnected (what it held may be stale). */
  of(userId: string): UserPresence | undefined {
    return this.byUser.get(userId);
  }

  /** Off the socket, nobody's changes reach us: forget them all; the next sync tells them afresh. */
  disconnected(): void {
    this.byUser.clear();
  }

  /** A sync's snapshot; it is announced through the status the sync ends with, not one event per user. */
  learn(presence: readonly UserPresence[]): void {
    for (const one of presence) this.byUser.set(one.userId, one);
  }

  typing(conversationId: string): string[] {
    return this.typists.typingIn(conversationId);
  }

  setTyping(conversationId: string, typing: boolean): void {
    if (this.socket.connected && this.typists.shouldSend(conversationId, typing)) {
      this.socket.emit('typing', { conversationId, typing });
    }
  }

  setAway(away: boolean): void {
    if (this.socket.connected) this.socket.emit('presence:set', { status: away ? 'away' : 'online' });
  }

  clear(): void {
    this.typists.clear();
  }
}
