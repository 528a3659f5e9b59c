// Typing indicators on the client: who is typing where (each expiring 5 s after their last signal) and
// when to tell others that we type (at most one "started" every 3 s, one "stopped" when we stop).

export const TYPING_EXPIRES_MS = 5000;
export const TYPING_THROTTLE_MS = 3000;

export class TypingTracker {
  private readonly typists = new Map<string, Map<string, ReturnType<typeof setTimeout>>>();
  private readonly lastStartSent = new Map<string, number>();

  constructor(
    private readonly onChange: (conversationId: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Someone else's signal. */
  received(conversationId: string, userId: string, typing: boolean): void {
    const users = this.typists.get(conversationId) ?? new Map<string, ReturnType<typeof setTimeout>>();
    clearTimeout(users.get(userId));
    if (typing) {
      users.set(
        userId,
        setTimeout(() => this.received(conversationId, userId, false), TYPING_EXPIRES_MS),
      );
    } else if (!users.delete(userId)) {
      return;
    }
    this.typists.set(conversationId, users);
    this.onChange(conversationId);
  }

  /** A message from someone ends their typing at once. */
  stopped(conversationId: string, userId: string): void {
    if (this.typists.get(conversationId)?.has(userId)) this.received(conversationId, userId, false);
  }

  typingIn(conversationId: string): string[] {
    return [...(this.typists.get(conversationId)?.keys() ?? [])];
  }

  /** Whether our own typing change is worth sending now. */
  shouldSend(conversationId: string, typing: boolean): boolean {
    const last = this.lastStartSent.get(conversationId);
    if (!typing) {
      this.lastStartSent.delete(conversationId);
      return last !== undefined;
    }
    if (last !== undefined && this.now() - last < TYPING_THROTTLE_MS) return false;
    this.lastStartSent.set(conversationId, this.now());
    return true;
  }

  clear(): void {
    for (const users of this.typists.values()) for (const timer of users.values()) clearTimeout(timer);
    this.typists.clear();
    this.lastStartSent.clear();
  }
}
