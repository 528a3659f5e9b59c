// The arithmetic of a windowed list of rows with different heights: where each row starts (measured
// heights where known, estimates elsewhere) and which rows a viewport shows. Pure, so it is tested in Node.

export interface Layout {
  /** `offsets[i]` is where row i starts; `offsets[rows]` is the total height. */
  offsets: number[];
  /** Row index by key. */
  indexOf: Map<string, number>;
}

export function layoutRows(
  keys: readonly string[],
  measured: ReadonlyMap<string, number>,
  estimate: (index: number) => number,
): Layout {
  const offsets = new Array<number>(keys.length + 1);
  const indexOf = new Map<string, number>();
  let top = 0;
  keys.forEach((key, index) => {
    offsets[index] = top;
    indexOf.set(key, index);
    top += measured.get(key) ?? estimate(index);
  });
  offsets[keys.length] = top;
  return { offsets, indexOf };
}

export const totalHeight = (layout: Layout) => layout.offsets[layout.offsets.length - 1] ?? 0;

/** The index of the row that contains `y` (the last row for y past the end, 0 for y before the start). */
export function rowAt(layout: Layout, y: number): number {
  const rows = layout.offsets.length - 1;
  let low = 0;
  let high = rows - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((layout.offsets[middle] ?? 0) <= y) low = middle;
    else high = middle - 1;
  }
  return Math.max(0, low);
}

/** The rows `[start, end)` to render for a viewport, with `overscan` pixels more above and below. */
export function visibleRange(
  layout: Layout,
  scrollTop: number,
  viewportHeight: number,
  overscan: number,
): { start: number; end: number } {
  const rows = layout.offsets.length - 1;
  if (rows <= 0) return { start: 0, end: 0 };
  const start = rowAt(layout, scrollTop - overscan);
  const end = Math.min(rows, rowAt(layout, scrollTop + viewportHeight + overscan) + 1);
  return { start, end };
}
