// Where the log goes and how it reads: JSON lines for collectors, or readable lines for a person watching a
// terminal (the demo's default), which keep the start banner and its URL in view.
import pinoPretty from 'pino-pretty';
import type { Config } from '../config.ts';

export type LogStream = { write(line: string): void };

/** The stream for the server's logger, or undefined for pino's own JSON output to stdout. */
export function logOutput(config: Config, given: LogStream | undefined): LogStream | undefined {
  if (given || config.logFormat === 'json') return given;
  return pinoPretty({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    singleLine: true,
    // Written at once, so that lines and the banner printed after start appear in the order they happened.
    sync: true,
  });
}
