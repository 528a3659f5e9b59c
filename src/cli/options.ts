// Reading a command line, for the admin CLI and the operator CLI alike: wrong use becomes a UsageError,
// which both report with their help and exit code 2.
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Wrong use of a CLI itself: reported with the help text and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** node:util parseArgs, reporting unknown options and missing option values as UsageErrors. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    // parseArgs reports them as TypeErrors with an ERR_PARSE_ARGS code.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export function stringOption(options: OptionValues, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

/** The items of `--name a,b` (or of `--name a --name b` for an option that may be repeated). */
export function listOption(options: OptionValues, name: string): string[] | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value])
    .flatMap((item) => String(item).split(','))
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${name} expects a comma-separated list`);
  return items;
}

export function choiceOption<T extends string>(
  options: OptionValues,
  name: string,
  choices: readonly T[],
): T | undefined {
  const value = stringOption(options, name);
  if (value === undefined || (choices as readonly string[]).includes(value)) return value as T | undefined;
  throw new UsageError(`--${name} must be one of ${choices.join(', ')}`);
}
