import { describe, expect, it } from 'vitest';
import { gridStep } from '../../src/widget/extras/grid-step.ts';

describe('moving in the emoji grid', () => {
  // 10 emoji in rows of 4: 0 1 2 3 / 4 5 6 7 / 8 9
  const step = (key: string, index: number) => gridStep(key, index, 10, 4);

  it('moves by one cell across rows, and by one row, staying on the grid', () => {
    expect([
      step('ArrowRight', 3),
      step('ArrowLeft', 4),
      step('ArrowRight', 9),
      step('ArrowLeft', 0),
    ]).toEqual([4, 3, 9, 0]);
    expect([step('ArrowDown', 1), step('ArrowDown', 5), step('ArrowDown', 6), step('ArrowUp', 9)]).toEqual([
      5, 9, 6, 5,
    ]);
  });

  it('goes to the ends with Home and End, and leaves the grid upwards from its first row', () => {
    expect([step('Home', 7), step('End', 2)]).toEqual([0, 9]);
    expect(step('ArrowUp', 2)).toBe('out');
    expect(step('Enter', 2)).toBeUndefined();
  });
});
