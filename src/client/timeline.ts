// One conversation's entries as a client holds them: a contiguous run of seqs ending at the cursor, plus
// entries that arrived ahead of a gap, held back until the gap is filled. Messages are kept to show; change
// entries (edits, deletes, reactions) are applied to the messages they name and to the quotes of them, and
// entries of kinds this client does not know only move the cursor. Pure: no I/O.

import type { ChangedMessage, Message } from '../protocol/models.ts';
import { quoteOf } from '../protocol/quotes.ts';

export interface ApplyResult {
  /** Messages that joined the contiguous run, in seq order: what a UI appends. */
  appended: Message[];
  /** Held messages whose state changed (edited, deleted, reacted to, or a quote in them), as they are now. */
  changed: Message[];
  /** Every entry that joined the run, changes included, in seq order: what summaries count. */
  entries: Message[];
  /** Entries are held back behind a missing seq: fetch after `cursor` to fill it. */
  gap: boolean;
}

/** Kinds shown as messages; `change` is applied; any other kind is from a newer server and skipped. */
const shownKinds = new Set<string>(['message', 'event']);

/** Whether an entry is a message to show (and to count), rather than a change or a kind this client does not know. */
export const isShownEntry = (entry: Pick<Message, 'kind'>): boolean => shownKinds.has(entry.kind);

export class Timeline {
  /** The held messages, ascending by seq (changes and unknown kinds are not among them). */
  private held: Message[] = [];
  private ahead = new Map<number, Message>();
  /** Highest seq of the run. */
  private top: number;
  /** Lowest seq of the run; undefined while it is empty. */
  private bottom: number | undefined;
  private loaded = false;
  /** Entries not shown (changes) joined before a page loaded the conversation; the shown ones are held. */
  private early: Message[] = [];

  /** Highest seq with nothing missing below it down to the oldest held entry; 0 when nothing is held. */
  get cursor(): number {
    return this.top;
  }

  /** The held messages, oldest first. */
  get messages(): readonly Message[] {
    return this.held;
  }

  /**
   * The entries (changes included) this timeline joined before a page loaded it: a timeline loaded in its
   * place applies them, since the page may be older than they are.
   */
  get joinedBeforeLoad(): readonly Message[] {
    return [...this.held, ...this.early].sort((a, b) => a.seq - b.seq);
  }

  /** Whether the client has loaded this conversation (even an empty one), and so keeps it gap-free. */
  get isLoaded(): boolean {
    return this.loaded || this.bottom !== undefined;
  }

  /** The oldest seq of the run, for paging back; undefined when nothing is held. */
  get first(): number | undefined {
    return this.bottom;
  }

  /**
   * @param base the seq the run starts after: 0 for a conversation read from its beginning, or the
   *   seq just before the first page loaded.
   */
  constructor(base = 0) {
    this.top = base;
  }

  /** Nothing held yet: entries from `seq + 1` on will be appended (a conversation known but not opened). */
  static startingAfter(seq: number): Timeline {
    return new Timeline(seq);
  }

  /** Adds entries from any source (live, sync, page after the cursor); duplicates and stale ones are ignored. */
  apply(entries: readonly Message[]): ApplyResult {
    for (const entry of entries) {
      if (entry.seq > this.top) this.ahead.set(entry.seq, entry);
    }
    const result: ApplyResult = { appended: [], changed: [], entries: [], gap: false };
    let next = this.ahead.get(this.top + 1);
    while (next) {
      this.ahead.delete(next.seq);
      this.top = next.seq;
      this.bottom ??= next.seq;
      result.entries.push(next);
      if (isShownEntry(next)) {
        this.held.push(next);
        result.appended.push(next);
      } else {
        if (!this.loaded) this.early.push(next);
        if (next.change) result.changed.push(...this.applyChange(next.change.target));
      }
      next = this.ahead.get(this.top + 1);
    }
    result.gap = this.ahead.size > 0;
    return result;
  }

  /** Adds an older page (ending right before `first`) in front of the run. Returns the messages added. */
  prepend(older: readonly Message[]): Message[] {
    const first = this.bottom ?? this.top + 1;
    const fitting = older.filter((entry) => entry.seq < first).sort((a, b) => a.seq - b.seq);
    const contiguous = fitting.filter((entry, i) => entry.seq === first - (fitting.length - i));
    if (contiguous.length === 0) return [];
    this.bottom = contiguous[0]?.seq;
    // A page read now holds its messages in their current state, but a held message may be newer still.
    const shown = contiguous.filter(isShownEntry).map((m) => this.newest(m));
    this.held.unshift(...shown);
    for (const entry of contiguous) if (entry.change) this.applyChange(entry.change.target);
    return shown;
  }

  /** Starts over from a page of the newest entries (after a reset, or when first opening a conversation). */
  reset(newest: readonly Message[]): void {
    const sorted = [...newest].sort((a, b) => a.seq - b.seq);
    this.held = [];
    this.ahead.clear();
    this.early = [];
    this.loaded = true;
    this.top = (sorted[0]?.seq ?? 1) - 1;
    this.bottom = undefined;
    this.apply(sorted);
  }

  /** Whichever of `message` and the held copy of it is newer. */
  private newest(message: Message): Message {
    const held = this.held.find((m) => m.id === message.id);
    return held && held.revisionSeq > message.revisionSeq ? held : message;
  }

  /**
   * Puts the changed message in place of its held copy when it is newer, and updates the quotes of it in
   * held replies; returns the held messages that changed.
   */
  private applyChange(target: ChangedMessage): Message[] {
    const changed: Message[] = [];
    const quote = quoteOf(target);
    this.held = this.held.map((message) => {
      let next = message;
      if (message.id === target.id && target.revisionSeq > message.revisionSeq) next = target;
      if (next.replyTo?.messageId === target.id && !sameQuote(next.replyTo, quote))
        next = { ...next, replyTo: quote };
      if (next !== message) changed.push(next);
      return next;
    });
    return changed;
  }
}

function sameQuote(a: NonNullable<Message['replyTo']>, b: NonNullable<Message['replyTo']>): boolean {
  return a.excerpt === b.excerpt && a.editedAt === b.editedAt && a.deleted === b.deleted;
}
