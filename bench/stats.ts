// Figures the benchmarks print: percentiles of sorted samples and one aligned row of p50 / p95 / max.

/** The nearest-rank percentile of samples sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export const ms = (value: number) => value.toFixed(1).padStart(8);

/** `label  p50  p95  max` for samples in milliseconds, in any order. */
export function latencyRow(label: string, samples: readonly number[], width: number, extra = ''): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label.padEnd(width)}${ms(percentile(sorted, 50))}${ms(percentile(sorted, 95))}${ms(sorted.at(-1) ?? Number.NaN)}${extra}`;
}
