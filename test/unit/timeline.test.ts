import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/client/timeline.ts';
import type { Message } from '../../src/protocol/models.ts';
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
    expect(timeline.apply(messages(4, 3))).toEqual({ appended: [], gap: true });
    expect(timeline.cursor).toBe(1);
    expect(timeline.apply(messages(2))).toEqual({ appended: messages(2, 3, 4), gap: false });
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
});
