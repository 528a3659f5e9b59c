// Coalescing of relayed signals (typing, presence): the first of a burst at once, the latest at the end of
// the interval when it says something new, and nothing more.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRelayCoalescer } from '../../src/server/domain/limits/relay-coalescer.ts';

describe('relay coalescer', () => {
  let relayed: { key: string; typing: boolean; at: number }[];
  const coalescer = (intervalMs = 2000) =>
    createRelayCoalescer<{ key: string; typing: boolean }>({
      intervalMs,
      relay: (value) => relayed.push({ ...value, at: Date.now() }),
      same: (a, b) => a.typing === b.typing,
    });

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    relayed = [];
  });
  afterEach(() => vi.useRealTimers());

  it('relays the first of a burst at once and the final different value at the end of the interval', () => {
    const relays = coalescer();
    for (let i = 0; i < 5000; i++) relays.offer('ana', { key: 'ana', typing: true });
    relays.offer('ana', { key: 'ana', typing: false });
    expect(relayed).toEqual([{ key: 'ana', typing: true, at: 0 }]);
    vi.advanceTimersByTime(2000);
    expect(relayed).toEqual([
      { key: 'ana', typing: true, at: 0 },
      { key: 'ana', typing: false, at: 2000 },
    ]);
    vi.advanceTimersByTime(10_000);
    expect(relayed).toHaveLength(2);
  });

  it('drops a trailing value that says what was last relayed', () => {
    const relays = coalescer();
    relays.offer('ana', { key: 'ana', typing: true });
    relays.offer('ana', { key: 'ana', typing: false });
    relays.offer('ana', { key: 'ana', typing: true });
    vi.advanceTimersByTime(5000);
    expect(relayed.map((r) => r.typing)).toEqual([true]);
  });

  it('relays a repeat of the same value once the interval is over: a refresh still reaches listeners', () => {
    const relays = coalescer();
    relays.offer('ana', { key: 'ana', typing: true });
    vi.advanceTimersByTime(3000);
    relays.offer('ana', { key: 'ana', typing: true });
    expect(relayed.map((r) => r.at)).toEqual([0, 3000]);
  });

  it('keeps keys apart', () => {
    const relays = coalescer();
    relays.offer('ana', { key: 'ana', typing: true });
    relays.offer('ben', { key: 'ben', typing: true });
    relays.offer('ana', { key: 'ana', typing: false });
    expect(relayed.map((r) => `${r.key}:${r.typing}`)).toEqual(['ana:true', 'ben:true']);
    vi.advanceTimersByTime(2000);
    expect(relayed.map((r) => `${r.key}:${r.typing}`)).toEqual(['ana:true', 'ben:true', 'ana:false']);
  });

  it('with a zero interval relays every value as it comes', () => {
    const relays = coalescer(0);
    for (const typing of [true, false, true]) relays.offer('ana', { key: 'ana', typing });
    expect(relayed.map((r) => r.typing)).toEqual([true, false, true]);
  });

  it('flush relays what is still owed at once and leaves no timer behind', () => {
    const relays = coalescer();
    relays.offer('ana', { key: 'ana', typing: true });
    relays.offer('ana', { key: 'ana', typing: false });
    relays.offer('ben', { key: 'ben', typing: true });
    relays.flush();
    expect(relayed.map((r) => `${r.key}:${r.typing}@${r.at}`)).toEqual([
      'ana:true@0',
      'ben:true@0',
      'ana:false@0',
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
