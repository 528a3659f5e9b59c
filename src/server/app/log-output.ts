// Where the log goes and how it reads: JSON lines for collectors, or readable lines for a person watching a
// terminal (the demo's default), which keep the start banner and its URL in view.
import pinoPretty from 'pino-pretty';
import type { Config } from '../config.ts';

export type LogStream = { write(line: string): void };

/**
 * What never reaches a log line, whichever code logs it: credentials by their usual names (top level and
 * one level down, e.g. `{ grant: { token } }`) and anything named `body`, which is what people wrote. The
 * request serializer keeps query values out already (request-log.ts: `/unsubscribe?token`).
 */
export const logRedaction = {
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    'res.headers["set-cookie"]',
    ...['authorization', 'cookie', 'token', 'password', 'secret', 'apiKey', 'body'].flatMap((name) => [
      name,
      `*.${name}`,
    ]),
  ],
  censor: '[redacted]',
};

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
