import { describe, expect, it } from 'vitest';
import { judgeCursor } from '../../src/server/domain/sync/sync.ts';

describe('sync cursor', () => {
  it('replays what a client missed, and resets it when that is impossible', () => {
    expect(judgeCursor(10, 10, 100)).toBe('current');
    expect(judgeCursor(5, 10, 100)).toBe('behind');
    expect(judgeCursor(0, 100, 100)).toBe('behind');
    expect(judgeCursor(0, 101, 100)).toBe('reset');
    expect(judgeCursor(11, 10, 100)).toBe('reset');
  });
});
