// Synchronisation: one gap-free timeline per conversation, the resync after every (re)connect (in as many
// requests as the cursors need), catch-ups that reset or page forward, and gap filling for live messages.
import type { ConversationCatchUp } from '../protocol/events.ts';
import type { Conversation, Message, User } from '../protocol/models.ts';
import type { EmitClientEvent } from './client-events.ts';
import type { Connection } from './connection.ts';
import type { ConversationStore, MembershipListener } from './conversation-store.ts';
import { retryDelay } from './outbox.ts';
import type { PresenceBook } from './presence.ts';
import { mergeSyncAnswers, splitCursors } from './resume.ts';
import { type ApplyResult, Timeline } from './timeline.ts';

export interface SyncDeps {
  connection: Connection;
  conversations: ConversationStore;
  presence: PresenceBook;
  emit: EmitClientEvent;
  random: () => number;
  /** The resync is complete: the client is connected and may send. */
  synced: () => void;
}

export class Synchronizer implements MembershipListener {
  private readonly timelines = new Map<string, Timeline>();
  private readonly filling = new Set<string>();
  /** The connected user, known after the first sync. */
  me: User | undefined;
  private isSynced = false;

  constructor(private readonly deps: SyncDeps) {
    deps.connection.socket.on('message:new', ({ message }) =>
      this.receive(message.conversationId, [message]),
    );
  }

  get synced(): boolean {
    return this.isSynced;
  }

  disconnected(): void {
    this.isSynced = false;
  }

  messages(conversationId: string): readonly Message[] {
    return this.timelines.get(conversationId)?.messages ?? [];
  }

  cursor(conversationId: string): number {
    return this.timelines.get(conversationId)?.cursor ?? 0;
  }

  async open(conversationId: string, limit: number): Promise<readonly Message[]> {
    const timeline = this.timelines.get(conversationId);
    if (timeline?.isLoaded) return timeline.messages;
    const page = await this.deps.connection.request('messages:page', { conversationId, limit });
    const fresh = new Timeline();
    fresh.reset(page.messages);
    // Live entries that arrived while the page was loading are kept, changes too.
    if (timeline) fresh.apply(timeline.joinedBeforeLoad);
    this.timelines.set(conversationId, fresh);
    this.deps.emit('reset', conversationId);
    return fresh.messages;
  }

  async loadEarlier(conversationId: string, limit: number): Promise<boolean> {
    const timeline = this.timelines.get(conversationId);
    if (!timeline?.isLoaded) return (await this.open(conversationId, limit)).length > 0;
    if (timeline.first === undefined || timeline.first <= 1) return false;
    const page = await this.deps.connection.request('messages:page', {
      conversationId,
      before: timeline.first,
      limit,
    });
    timeline.prepend(page.messages);
    return page.hasMore;
  }

  async loadBackTo(conversationId: string, seq: number, before: number): Promise<void> {
    await this.open(conversationId, 50);
    const target = Math.max(1, seq - before);
    while ((this.timelines.get(conversationId)?.first ?? 1) > target) {
      if (!(await this.loadEarlier(conversationId, 100))) break;
    }
  }

  /**
   * A conversation joined live starts at the user's read cursor: what they have not read arrives right
   * after it, live, as news (the first message of a DM shown to them with it). Elsewhere joining puts the
   * cursor at the end.
   */
  joined(conversation: Conversation): void {
    this.startTimeline(conversation, conversation.lastReadSeq);
  }

  /**
   * A conversation not loaded (never opened) gets a timeline starting after `after`: there is nothing held
   * to keep gap-free, and opening it loads its newest page.
   */
  private startTimeline(conversation: Conversation, after: number): void {
    if (!this.timelines.get(conversation.id)?.isLoaded) {
      this.timelines.set(conversation.id, Timeline.startingAfter(after));
    }
  }

  left(conversationId: string): void {
    this.timelines.delete(conversationId);
  }

  /**
   * After every (re)connect: a sync for all conversations (in several requests when the user holds more
   * cursors than one carries), pages for those with more, then `synced`.
   */
  async resync(): Promise<void> {
    const { connection, conversations, presence } = this.deps;
    try {
      // Only loaded conversations need catching up; the rest restart from their summary.
      const held = [...this.timelines].filter(([, timeline]) => timeline.isLoaded);
      const cursors = Object.fromEntries(held.map(([id, timeline]) => [id, timeline.cursor]));
      const answers = [];
      for (const part of splitCursors(cursors))
        answers.push(await connection.request('sync', { cursors: part }));
      const answer = mergeSyncAnswers(answers);
      for (const id of answer.removed) {
        this.timelines.delete(id);
        conversations.remove(id);
      }
      for (const conversation of answer.conversations) {
        this.startTimeline(conversation, conversation.lastSeq);
        conversations.put(conversation);
      }
      presence.learn(answer.presence);
      this.me = answer.me;
      for (const catchUp of answer.catchUp) await this.catchUp(catchUp);
      this.isSynced = true;
      conversations.publish();
      this.deps.synced();
    } catch (error) {
      this.deps.emit('error', error as Error);
      // Try the whole resync again on a fresh connection rather than carry on with a possible gap.
      connection.restart();
    }
  }

  private async catchUp({ conversationId, messages, hasMore, reset }: ConversationCatchUp): Promise<void> {
    if (reset) {
      const timeline = new Timeline();
      timeline.reset(messages);
      this.timelines.set(conversationId, timeline);
      this.deps.emit('reset', conversationId);
      return;
    }
    this.receive(conversationId, messages);
    if (hasMore) await this.fillGap(conversationId);
  }

  /** Messages from any source (live, an acknowledgement, a catch-up), in any order. */
  receive(conversationId: string, messages: readonly Message[]): void {
    const timeline = this.timelines.get(conversationId) ?? this.newTimelineFor(conversationId, messages);
    const result = timeline.apply(messages);
    this.joinedRun(conversationId, result);
    if (result.gap) this.fillGapUntilDone(conversationId);
  }

  /** Tells the summaries of every entry that joined the run, and the UI of new and changed messages. */
  private joinedRun(conversationId: string, { entries, appended, changed }: ApplyResult): void {
    if (entries.length === 0) return;
    this.deps.conversations.addMessages(conversationId, entries, this.me?.id);
    if (appended.length > 0) this.deps.emit('messages', conversationId, appended);
    if (changed.length > 0) this.deps.emit('changed', conversationId, changed);
  }

  /** Fills a gap, retrying with backoff if a page request fails, so held-back messages are never stuck. */
  private fillGapUntilDone(conversationId: string, attempt = 0): void {
    this.fillGap(conversationId).catch((error: unknown) => {
      this.deps.emit('error', error as Error);
      setTimeout(
        () => {
          if (!this.deps.connection.isClosed) this.fillGapUntilDone(conversationId, attempt + 1);
        },
        retryDelay(attempt, this.deps.random),
      );
    });
  }

  /** A message for a conversation not yet known (joined on another node a moment ago): start right before it. */
  private newTimelineFor(conversationId: string, messages: readonly Message[]): Timeline {
    const first = Math.min(...messages.map((message) => message.seq));
    const timeline = Timeline.startingAfter(first - 1);
    this.timelines.set(conversationId, timeline);
    return timeline;
  }

  /** Pages forward from the cursor until nothing is missing. One at a time per conversation. */
  private async fillGap(conversationId: string): Promise<void> {
    if (this.filling.has(conversationId)) return;
    this.filling.add(conversationId);
    try {
      for (;;) {
        const timeline = this.timelines.get(conversationId);
        if (!timeline) return;
        const page = await this.deps.connection.request('messages:page', {
          conversationId,
          after: timeline.cursor,
          limit: 100,
        });
        this.joinedRun(conversationId, timeline.apply(page.messages));
        if (!page.hasMore) return;
      }
    } finally {
      this.filling.delete(conversationId);
    }
  }
}
