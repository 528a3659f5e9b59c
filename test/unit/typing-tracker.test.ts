// The client's typing indicators: what we tell others (throttled starts, a stop only after a start) and
// what we show of others (expiring 5 s after their last signal, ended at once by their message).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TYPING_EXPIRES_MS, TYPING_THROTTLE_MS, TypingTracker } from '../../src/client/typing.ts';

describe('TypingTracker', () => {
  let changes: string[];
  let tracker: TypingTracker;

  beforeEach(() => {
    // Before the tracker exists, so its default clock (Date.now) is the fake one too.
    vi.useFakeTimers();
    changes = [];
    tracker = new TypingTracker((conversationId) => changes.push(conversationId));
  });
  afterEach(() => {
    tracker.clear();
    vi.useRealTimers();
  });

  describe('what we send', () => {
    it('sends at most one start per 3 s while the user keeps typing', () => {
      const sent: number[] = [];
      // A keystroke every 100 ms for 10 s.
      for (let at = 0; at < 10_000; at += 100) {
        if (tracker.shouldSend('c1', true)) sent.push(Date.now());
        vi.advanceTimersByTime(100);
      }
      const start = sent[0]!;
      expect(sent.map((at) => at - start)).toEqual([0, 3000, 6000, 9000]);
      expect(TYPING_THROTTLE_MS).toBe(3000);
    });

    it('refreshes a start only once the 3 s have fully passed', () => {
      expect(tracker.shouldSend('c1', true)).toBe(true);
      vi.advanceTimersByTime(TYPING_THROTTLE_MS - 1);
      expect(tracker.shouldSend('c1', true)).toBe(false);
      vi.advanceTimersByTime(1);
      expect(tracker.shouldSend('c1', true)).toBe(true);
    });

    it('throttles each conversation on its own', () => {
      expect(tracker.shouldSend('c1', true)).toBe(true);
      expect(tracker.shouldSend('c2', true)).toBe(true);
      expect(tracker.shouldSend('c1', true)).toBe(false);
      expect(tracker.shouldSend('c2', true)).toBe(false);
    });

    it('sends a stop only after a start, and only once', () => {
      expect(tracker.shouldSend('c1', false)).toBe(false);
      expect(tracker.shouldSend('c1', true)).toBe(true);
      expect(tracker.shouldSend('c1', false)).toBe(true);
      expect(tracker.shouldSend('c1', false)).toBe(false);
      // A stop in one conversation says nothing about another.
      expect(tracker.shouldSend('c2', false)).toBe(false);
    });

    it('sends a start again at once after a stop: the others saw the typing end', () => {
      expect(tracker.shouldSend('c1', true)).toBe(true);
      vi.advanceTimersByTime(500);
      expect(tracker.shouldSend('c1', false)).toBe(true);
      vi.advanceTimersByTime(500);
      expect(tracker.shouldSend('c1', true)).toBe(true);
      expect(tracker.shouldSend('c1', true)).toBe(false);
    });

    it('forgets what it sent when cleared (a new connection starts afresh)', () => {
      expect(tracker.shouldSend('c1', true)).toBe(true);
      tracker.clear();
      expect(tracker.shouldSend('c1', false)).toBe(false);
      expect(tracker.shouldSend('c1', true)).toBe(true);
    });
  });

  describe('what we show', () => {
    it('shows a typist until 5 s after their last signal, then drops them and says so', () => {
      tracker.received('c1', 'ana', true);
      expect(tracker.typingIn('c1')).toEqual(['ana']);
      expect(changes).toEqual(['c1']);

      vi.advanceTimersByTime(TYPING_EXPIRES_MS - 1);
      expect(tracker.typingIn('c1')).toEqual(['ana']);
      vi.advanceTimersByTime(1);
      expect(tracker.typingIn('c1')).toEqual([]);
      expect(changes).toEqual(['c1', 'c1']);
      expect(TYPING_EXPIRES_MS).toBe(5000);
    });

    it('counts the 5 s from the latest refresh', () => {
      tracker.received('c1', 'ana', true);
      vi.advanceTimersByTime(3000);
      tracker.received('c1', 'ana', true);
      vi.advanceTimersByTime(4000);
      expect(tracker.typingIn('c1')).toEqual(['ana']);
      vi.advanceTimersByTime(1000);
      expect(tracker.typingIn('c1')).toEqual([]);
    });

    it('drops a typist at once on their stop, and a stale expiry does nothing afterwards', () => {
      tracker.received('c1', 'ana', true);
      tracker.received('c1', 'ana', false);
      expect(tracker.typingIn('c1')).toEqual([]);
      expect(changes).toEqual(['c1', 'c1']);
      vi.advanceTimersByTime(TYPING_EXPIRES_MS * 2);
      expect(changes).toEqual(['c1', 'c1']);
    });

    it('ignores a stop from someone not shown as typing', () => {
      tracker.received('c1', 'ana', false);
      expect(changes).toEqual([]);
    });

    it('keeps typists apart per user and per conversation', () => {
      tracker.received('c1', 'ana', true);
      vi.advanceTimersByTime(2000);
      tracker.received('c1', 'ben', true);
      tracker.received('c2', 'ana', true);
      expect(tracker.typingIn('c1').sort()).toEqual(['ana', 'ben']);
      expect(tracker.typingIn('c2')).toEqual(['ana']);

      vi.advanceTimersByTime(3000);
      expect(tracker.typingIn('c1')).toEqual(['ben']);
      expect(tracker.typingIn('c2')).toEqual(['ana']);
    });

    it("ends a typist's typing when their message arrives", () => {
      tracker.received('c1', 'ana', true);
      tracker.received('c1', 'ben', true);
      changes.length = 0;

      tracker.stopped('c1', 'ana');

      expect(tracker.typingIn('c1')).toEqual(['ben']);
      expect(changes).toEqual(['c1']);
      // Their pending expiry was cancelled with them.
      vi.advanceTimersByTime(TYPING_EXPIRES_MS - 1);
      expect(changes).toEqual(['c1']);
    });

    it('changes nothing when a message comes from someone who was not typing', () => {
      tracker.received('c1', 'ana', true);
      changes.length = 0;
      tracker.stopped('c1', 'ben');
      tracker.stopped('c2', 'ana');
      expect(tracker.typingIn('c1')).toEqual(['ana']);
      expect(changes).toEqual([]);
    });

    it('cancels every pending expiry when cleared', () => {
      tracker.received('c1', 'ana', true);
      tracker.received('c2', 'ben', true);
      changes.length = 0;
      tracker.clear();
      expect(tracker.typingIn('c1')).toEqual([]);
      vi.advanceTimersByTime(TYPING_EXPIRES_MS * 2);
      expect(changes).toEqual([]);
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
