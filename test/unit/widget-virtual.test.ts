import { describe, expect, it } from 'vitest';
import { layoutRows, rowAt, totalHeight, visibleRange } from '../../src/widget/virtual.ts';

const keys = (count: number) => Array.from({ length: count }, (_, i) => `r${i}`);

describe('widget windowed list', () => {
  it('places rows by measured height where known and estimates elsewhere', () => {
    const layout = layoutRows(keys(4), new Map([['r1', 100]]), () => 10);
    expect(layout.offsets).toEqual([0, 10, 110, 120, 130]);
    expect(totalHeight(layout)).toBe(130);
    expect(layout.indexOf.get('r2')).toBe(2);
  });

  it('finds the row under a position', () => {
    const layout = layoutRows(keys(4), new Map(), () => 10);
    expect([
      rowAt(layout, -5),
      rowAt(layout, 0),
      rowAt(layout, 9),
      rowAt(layout, 10),
      rowAt(layout, 500),
    ]).toEqual([0, 0, 0, 1, 3]);
  });

  it('renders only the rows in view plus the overscan, even for 10,000 rows', () => {
    const layout = layoutRows(keys(10_000), new Map(), () => 50);
    expect(visibleRange(layout, 250_000, 600, 200)).toEqual({ start: 4996, end: 5017 });
    expect(visibleRange(layout, 0, 600, 200)).toEqual({ start: 0, end: 17 });
    expect(visibleRange(layout, totalHeight(layout) - 600, 600, 200)).toEqual({ start: 9984, end: 10_000 });
  });

  it('keeps a row’s offset computable after older rows are prepended (scroll anchoring)', () => {
    const before = layoutRows(keys(10).slice(5), new Map(), () => 20);
    const after = layoutRows(keys(10), new Map(), () => 20);
    const anchor = 'r7';
    const shift =
      (after.offsets[after.indexOf.get(anchor) ?? 0] ?? 0) -
      (before.offsets[before.indexOf.get(anchor) ?? 0] ?? 0);
    expect(shift).toBe(5 * 20);
  });

  it('answers an empty range for an empty list', () => {
    expect(
      visibleRange(
        layoutRows([], new Map(), () => 10),
        0,
        500,
        100,
      ),
    ).toEqual({ start: 0, end: 0 });
  });
});
