// The shape of an operator command (`parley <command>`): its options, its help and what it does. Commands
// work on the configured database or environment directly; the admin commands go through a running server.
import type { ParseArgsConfig } from 'node:util';
import type { AdminCliIo } from './admin-cli.ts';
import { type OptionValues, stringOption, UsageError } from './options.ts';

/** The variables a command reads, as the server does (loadConfig); process.env from the entry. */
export type Environment = Record<string, string | undefined>;

/** Where a command writes: stdout for what it produces, stderr for what a person should read. */
export type CliIo = AdminCliIo;

export interface CommandRun {
  options: OptionValues;
  env: Environment;
  io: CliIo;
}

export interface OperatorCommand {
  name: string;
  /** How its options read in the help, e.g. `--user ID --org ORG [--ttl S]`. */
  usage: string;
  summary: string;
  /** Lines of the command's own --help after its usage: what each option means, an example. */
  help: readonly string[];
  options: NonNullable<ParseArgsConfig['options']>;
  /** Resolves to the exit code: 0 done, 1 failed (expected failures throw CommandFailure or ConfigError). */
  run(run: CommandRun): Promise<number>;
}

/** An expected failure (a refusal, an unreachable database): reported in one line, exit code 1, no stack. */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
}

export function requiredOption(options: OptionValues, name: string): string {
  const value = stringOption(options, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function positiveIntegerOption(options: OptionValues, name: string, fallback: number): number {
  const value = stringOption(options, name);
  if (value === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`--${name} expects a positive whole number`);
  return Number(value);
}
