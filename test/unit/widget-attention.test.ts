// The widget's attention: away when the page is hidden or has had no input for five minutes, back at the
// next input or when shown — with a stand-in page, a hand-moved clock and fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchAttention } from '../../src/widget/attention.ts';

class StandInDocument extends EventTarget {
  visibilityState: 'visible' | 'hidden' = 'visible';
}

describe('attention', () => {
  let page: StandInDocument;
  let clock: number;
  beforeEach(() => {
    vi.useFakeTimers();
    page = new StandInDocument();
    clock = 0;
    vi.stubGlobal('document', page);
    vi.stubGlobal('window', new EventTarget());
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const passMinutes = (minutes: number) => {
    clock += minutes * 60_000;
    vi.advanceTimersByTime(minutes * 60_000);
  };

  it('goes away after five minutes without input on a visible page, and comes back at the next input', () => {
    const changes: boolean[] = [];
    const attention = watchAttention(
      (away) => changes.push(away),
      () => clock,
    );
    passMinutes(4);
    window.dispatchEvent(new Event('keydown'));
    passMinutes(4);
    expect(attention.away).toBe(false);
    passMinutes(2);
    expect(attention.away).toBe(true);
    window.dispatchEvent(new Event('pointermove'));
    expect(attention.away).toBe(false);
    expect(changes).toEqual([true, false]);
    attention.stop();
  });

  it('is away at once while the page is hidden', () => {
    const attention = watchAttention(
      () => {},
      () => clock,
    );
    page.visibilityState = 'hidden';
    page.dispatchEvent(new Event('visibilitychange'));
    expect(attention.away).toBe(true);
    page.visibilityState = 'visible';
    page.dispatchEvent(new Event('visibilitychange'));
    expect(attention.away).toBe(false);
    attention.stop();
  });
});
