// One conversation's messages as a client holds them: a contiguous run of seqs ending at the cursor, plus
// messages that arrived ahead of a gap, held back until the gap is filled. Pure: no I/O.
import type { Message } from '../protocol/models.ts';

export interface ApplyResult {
  /** Messages that joined the contiguous run, in seq order: what a UI appends. */
  appended: Message[];
  /** Messages are held back behind a missing seq: fetch after `cursor` to fill it. */
  gap: boolean;
}

export class Timeline {
  /** Ascending, contiguous seqs from `first` to `cursor`. */
  private held: Message[] = [];
  private ahead = new Map<number, Message>();
  private loaded = false;

  /** Highest seq with nothing missing below it down to the oldest held message; 0 when nothing is held. */
  get cursor(): number {
    return this.held.at(-1)?.seq ?? this.base;
  }

  /** The held messages, oldest first. */
  get messages(): readonly Message[] {
    return this.held;
  }

  /** Whether the client has loaded this conversation (even an empty one), and so keeps it gap-free. */
  get isLoaded(): boolean {
    return this.loaded || this.held.length > 0;
  }

  /** The oldest held seq, for paging back; undefined when nothing is held. */
  get first(): number | undefined {
    return this.held[0]?.seq;
  }

  /**
   * @param base the seq the run starts after: 0 for a conversation read from its beginning, or the
   *   seq just before the first page loaded.
   */
  constructor(private base = 0) {}

  /** Nothing held yet: messages from `seq + 1` on will be appended (a conversation known but not opened). */
  static startingAfter(seq: number): Timeline {
    return new Timeline(seq);
  }

  /** Adds messages from any source (live, sync, page after the cursor); duplicates and stale ones are ignored. */
  apply(messages: readonly Message[]): ApplyResult {
    for (const message of messages) {
      if (message.seq > this.cursor) this.ahead.set(message.seq, message);
    }
    const appended: Message[] = [];
    let next = this.ahead.get(this.cursor + 1);
    while (next) {
      this.ahead.delete(next.seq);
      this.held.push(next);
      appended.push(next);
      next = this.ahead.get(this.cursor + 1);
    }
    return { appended, gap: this.ahead.size > 0 };
  }

  /** Adds an older page (ending right before `first`) in front of the run. Returns what was added. */
  prepend(older: readonly Message[]): Message[] {
    const first = this.first ?? this.cursor + 1;
    const fitting = older.filter((message) => message.seq < first).sort((a, b) => a.seq - b.seq);
    const contiguous = fitting.filter((message, i) => message.seq === first - (fitting.length - i));
    this.held.unshift(...contiguous);
    return contiguous;
  }

  /** Starts over from a page of the newest messages (after a reset, or when first opening a conversation). */
  reset(newest: readonly Message[]): void {
    const sorted = [...newest].sort((a, b) => a.seq - b.seq);
    this.held = [];
    this.ahead.clear();
    this.loaded = true;
    this.base = (sorted[0]?.seq ?? 1) - 1;
    this.apply(sorted);
  }
}
