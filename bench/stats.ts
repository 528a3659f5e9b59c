// Figures the benchmarks print: percentiles of sorted samples and one aligned row of p50 / p95 / max.

/** The nearest-rank percentile of samples sorted ascending. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export const ms = (value: number) => value.toFixed(1).padStart(8);

/** `label  p50  p95  max` for samples in milliseconds, in any order. */
export function latencyRow(label: string, samples: readonly number[], width: number, extra = ''): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label.padEnd(width)}${ms(percentile(sorted, 50))}${ms(percentile(sorted, 95))}${ms(sorted.at(-1) ?? Number.NaN)}${extra}`;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Percentiles of samples in any order (sorted as a typed array: a rate run holds up to millions). */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => round(percentile(sorted, p));
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}

/** Figures to a tenth of a millisecond: finer would only be noise in a result file. */
const round = (value: number) => Math.round(value * 10) / 10;
