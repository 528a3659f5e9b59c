// Command-line values of the benchmark scenarios, checked once: a typo fails at start, not after a
// quarter of an hour of measuring the wrong thing.

/** Options (or a machine) that cannot give the run asked for: said in one line, without a stack. */
export class OptionError extends Error {
  override name = 'OptionError';
}

export function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new OptionError(`--${name}: expected a positive number, not '${text}'`);
  return value;
}

export function nonNegative(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new OptionError(`--${name}: expected a number ≥ 0, not '${text}'`);
  return value;
}

export function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  const value = positive(name, text, fallback);
  if (!Number.isInteger(value)) throw new OptionError(`--${name}: expected a whole number, not '${text}'`);
  return value;
}

/** `250,500,1000`: ascending, without repeats. */
export function rateList(name: string, text: string | undefined, fallback: readonly number[]): number[] {
  if (text === undefined) return [...fallback];
  const rates = text.split(',').map((part) => positive(name, part.trim(), 0));
  return [...new Set(rates)].sort((a, b) => a - b);
}

/** A comma-separated choice among `known`, in the order given. */
export function choices<T extends string>(
  name: string,
  text: string | undefined,
  known: readonly T[],
  fallback: readonly T[],
): T[] {
  if (text === undefined) return [...fallback];
  const chosen = text.split(',').map((part) => part.trim());
  for (const value of chosen) {
    if (!known.includes(value as T))
      throw new OptionError(`--${name}: '${value}' is not one of ${known.join(', ')}`);
  }
  return [...new Set(chosen)] as T[];
}
