import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/client/timeline.ts';
import type { Message, MessageChangeType } from '../../src/protocol/models.ts';
import { quoteOf } from '../../src/protocol/quotes.ts';
import { freshState } from '../helpers/message-state.ts';

const message = (seq: number): Message => ({
  id: String(seq),
  conversationId: 'c',
  seq,
  senderId: 'u',
  body: `m${seq}`,
  createdAt: new Date(0).toISOString(),
  clientMsgId: `k${seq}`,
  mentions: [],
  kind: 'message',
  ...freshState(seq),
});
const messages = (...seqs: number[]) => seqs.map(message);
const seqs = (timeline: Timeline) => timeline.messages.map((m) => m.seq);

describe('timeline', () => {
  it('appends in seq order and ignores duplicates', () => {
    const timeline = new Timeline();
    expect(timeline.apply(messages(1, 2)).appended.map((m) => m.seq)).toEqual([1, 2]);
    expect(timeline.apply(messages(2, 1, 3)).appended.map((m) => m.seq)).toEqual([3]);
    expect(seqs(timeline)).toEqual([1, 2, 3]);
    expect(timeline.cursor).toBe(3);
  });

  it('holds back messages after a gap until the gap is filled, then releases them in order', () => {
    const timeline = new Timeline();
    timeline.apply(messages(1));
    expect(timeline.apply(messages(4, 3))).toMatchObject({ appended: [], gap: true });
    expect(timeline.cursor).toBe(1);
    expect(timeline.apply(messages(2))).toMatchObject({ appended: messages(2, 3, 4), gap: false });
  });

  it('starts after a known seq for a conversation not loaded yet', () => {
    const timeline = Timeline.startingAfter(41);
    expect(timeline.isLoaded).toBe(false);
    expect(timeline.apply(messages(41, 42)).appended.map((m) => m.seq)).toEqual([42]);
    expect(timeline.isLoaded).toBe(true);
  });

  it('prepends only the contiguous part of an older page', () => {
    const timeline = new Timeline();
    timeline.reset(messages(8, 9, 10));
    expect(timeline.prepend(messages(3, 5, 6, 7, 9)).map((m) => m.seq)).toEqual([5, 6, 7]);
    expect(seqs(timeline)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(timeline.first).toBe(5);
  });

  it('starts over from the newest page on reset, even an empty one', () => {
    const timeline = new Timeline();
    timeline.apply(messages(1, 2, 5));
    timeline.reset(messages(102, 101));
    expect(seqs(timeline)).toEqual([101, 102]);
    expect(timeline.apply(messages(5)).appended).toEqual([]);
    const empty = new Timeline();
    empty.reset([]);
    expect([empty.isLoaded, empty.cursor]).toEqual([true, 0]);
  });

  const change = (seq: number, target: Message, type: MessageChangeType = 'message.edited'): Message => ({
    ...message(seq),
    body: '',
    kind: 'change',
    change: {
      type,
      messageId: target.id,
      emoji: null,
      target: { ...target, revisionSeq: seq, change: null },
    },
  });

  it('applies a change to the message it names and to the quotes of it, without showing the change', () => {
    const timeline = new Timeline();
    const original = message(1);
    const reply = { ...message(2), replyTo: quoteOf(original) };
    timeline.apply([original, reply]);
    const edited = { ...original, body: 'm1, edited', editedAt: new Date(5).toISOString() };

    const result = timeline.apply([change(3, edited)]);

    expect(result.appended).toEqual([]);
    expect(result.entries.map((m) => m.seq)).toEqual([3]);
    expect(timeline.cursor).toBe(3);
    expect(timeline.messages[0]).toMatchObject({ body: 'm1, edited', revisionSeq: 3 });
    expect(timeline.messages[1]?.replyTo).toMatchObject({ excerpt: 'm1, edited', deleted: false });
    expect(result.changed.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('never lets an older state of a message replace a newer one', () => {
    const timeline = new Timeline();
    timeline.apply(messages(1, 2));
    const deleted = { ...message(1), body: '', deletedAt: new Date(9).toISOString() };
    timeline.apply([change(3, deleted, 'message.deleted')]);
    // A page read earlier, arriving late, holds the message as it was before the delete.
    const stale = change(4, { ...message(1), body: 'm1, edited', revisionSeq: 2 });
    timeline.apply([
      { ...stale, change: { ...stale.change!, target: { ...message(1), revisionSeq: 2, change: null } } },
    ]);
    expect(timeline.messages[0]).toMatchObject({ body: '', revisionSeq: 3 });
  });

  it('moves its cursor past entries of kinds it does not know, and shows none of them', () => {
    const timeline = new Timeline();
    const unknown = { ...message(2), kind: 'poll' } as unknown as Message;
    const result = timeline.apply([message(1), unknown, message(3)]);
    expect(result.appended.map((m) => m.seq)).toEqual([1, 3]);
    expect(timeline.cursor).toBe(3);
    expect(result.gap).toBe(false);
  });

  it('keeps the changes it joined before its first page, for the timeline loaded in its place', () => {
    const early = Timeline.startingAfter(1);
    early.apply([message(2), change(3, { ...message(1), body: 'now' })]);
    const loaded = new Timeline();
    loaded.reset(messages(1));
    loaded.apply(early.joinedBeforeLoad);
    expect(loaded.cursor).toBe(3);
    expect(loaded.messages.map((m) => m.body)).toEqual(['now', 'm2']);
  });
});
