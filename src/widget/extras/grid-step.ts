// Where a key moves the focus in a grid laid out in rows of `columns` (the emoji picker's): the arrows
// by one cell or one row, Home and End to the first and last. Off the grid's edge it stays, except Up from
// the first row, which leaves the grid (`'out'`: back to the search field above it). Pure.

export function gridStep(
  key: string,
  index: number,
  count: number,
  columns: number,
): number | 'out' | undefined {
  const last = count - 1;
  switch (key) {
    case 'ArrowRight':
      return Math.min(index + 1, last);
    case 'ArrowLeft':
      return Math.max(index - 1, 0);
    case 'ArrowDown':
      return index + columns <= last ? index + columns : index;
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : 'out';
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return undefined;
  }
}
