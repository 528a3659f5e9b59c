// A markdown table that also reads well as plain text on a terminal: columns padded to their widest cell.

export type Cell = string | number;

const figure = /^(-|none|-?[\d.,]+ ?[%×]?)$/;

/** Columns of figures (or "-", "none") are right-aligned, header included; text is left-aligned. */
export function markdownTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const numeric = header.map(
    (_, column) => rows.length > 0 && text.slice(1).every((row) => figure.test(row[column] ?? '')),
  );
  const widths = header.map((_, column) => Math.max(3, ...text.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (numeric[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(text[0]!), rule, ...text.slice(1).map(line)].join('\n');
}
