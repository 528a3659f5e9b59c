// The admin CLI as a function: parses the command line, authenticates as an internal admin, makes one admin
// API call and prints the answer. The entry (parley-admin.ts) hands it the environment; tests call it directly.
import { signHostToken } from '../server/demo/tokens.ts';
import { AdminApiError, type ApiCall, callAdminApi } from './admin-api.ts';
import {
  type AdminCommand,
  adminCommands,
  type CommandInput,
  type CommandOptionName,
  commandOptionSpecs,
} from './admin-commands.ts';
import { parseCommandLine, UsageError } from './options.ts';

export interface AdminCliEnv {
  /** The server's URL (PARLEY_URL); `--url` overrides it. */
  url?: string | undefined;
  /** A token the host signed for an internal admin (PARLEY_ADMIN_TOKEN). */
  token?: string | undefined;
  /** The host's HS256 secret (PARLEY_JWT_SECRET): lets `--as <userId> --org <orgId>` sign a token itself. */
  jwtSecret?: string | undefined;
}

export interface AdminCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const defaultUrl = 'http://localhost:3000';
/** Self-signed tokens are short-lived: one CLI run needs seconds, a leaked one should soon be worthless. */
const signedTokenTtlSeconds = 5 * 60;

const globalOptionSpecs = {
  url: { type: 'string' },
  json: { type: 'boolean' },
  as: { type: 'string' },
  org: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Credentials = { token: string } | { secret: string; userId: string; orgId: string };

interface Invocation {
  command: AdminCommand;
  input: CommandInput;
  /** Built while parsing, so that wrong option values are usage errors reported before any request. */
  call: ApiCall;
  url: string;
  json: boolean;
  credentials: Credentials;
}

/** Runs one admin command; resolves to the exit code: 0 done, 1 refused or failed, 2 wrong usage. */
export async function runAdminCli(
  argv: readonly string[],
  env: AdminCliEnv,
  io: AdminCliIo,
): Promise<number> {
  let invocation: Invocation | 'help';
  try {
    invocation = parseInvocation(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`error: ${error.message}\n\n${helpText()}`);
    return 2;
  }
  if (invocation === 'help') {
    io.stdout.write(helpText());
    return 0;
  }
  const { command, input, call, url, json, credentials } = invocation;
  try {
    const response = await callAdminApi(url, await tokenFor(credentials), call);
    io.stdout.write(json ? `${JSON.stringify(response ?? {}, null, 2)}\n` : command.show(response, input));
    return 0;
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    io.stderr.write(`error ${error.code}: ${error.message}\n`);
    return 1;
  }
}

function parseInvocation(argv: readonly string[], env: AdminCliEnv): Invocation | 'help' {
  const { values, positionals, tokens } = parseCommandLine({
    args: [...argv],
    options: { ...globalOptionSpecs, ...commandOptionSpecs },
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
  if (values.help || positionals[0] === 'help') return 'help';
  const [name, ...args] = positionals;
  if (name === undefined) throw new UsageError('which command?');
  const command = adminCommands.find((candidate) => candidate.name === name);
  if (!command) throw new UsageError(`unknown command: ${name}`);
  for (const token of tokens) {
    if (token.kind !== 'option' || !(token.name in commandOptionSpecs)) continue;
    if (!command.options.includes(token.name as CommandOptionName)) {
      throw new UsageError(`${name} does not take --${token.name}`);
    }
  }
  checkArgumentCount(command, args);
  const input: CommandInput = { args, options: values };
  return {
    command,
    input,
    call: command.call(input),
    url: serverUrl(values.url ?? env.url ?? defaultUrl),
    json: values.json ?? false,
    credentials: credentialsFrom(values, env),
  };
}

function checkArgumentCount(command: AdminCommand, args: readonly string[]): void {
  const variadic = command.args.at(-1)?.endsWith('...') ?? false;
  if (args.length < command.args.length) {
    throw new UsageError(`${command.name} needs <${command.args[args.length]}>`);
  }
  if (args.length > command.args.length && !variadic) {
    throw new UsageError(`${command.name} takes ${command.args.length} argument(s), got ${args.length}`);
  }
}

function serverUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url: not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url: expected an http:// or https:// URL, got ${value}`);
  }
  return url.href.replace(/\/+$/, '');
}

function credentialsFrom(values: { as?: string; org?: string }, env: AdminCliEnv): Credentials {
  if (values.as !== undefined || values.org !== undefined) {
    if (values.as === undefined || values.org === undefined) {
      throw new UsageError('--as <userId> and --org <orgId> go together');
    }
    if (!env.jwtSecret) throw new UsageError('--as needs PARLEY_JWT_SECRET to sign a token');
    return { secret: env.jwtSecret, userId: values.as, orgId: values.org };
  }
  if (!env.token) {
    throw new UsageError(
      'no credentials: set PARLEY_ADMIN_TOKEN, or PARLEY_JWT_SECRET and pass --as <userId> --org <orgId>',
    );
  }
  return { token: env.token };
}

async function tokenFor(credentials: Credentials): Promise<string> {
  if ('token' in credentials) return credentials.token;
  // The server updates the user from these claims, as from any host token: the name becomes the user id.
  return signHostToken(
    credentials.secret,
    {
      id: credentials.userId,
      displayName: credentials.userId,
      email: null,
      orgId: credentials.orgId,
      role: 'admin',
    },
    signedTokenTtlSeconds,
  );
}

function commandUsage(command: AdminCommand): string {
  const args = command.args.map((arg) => `<${arg}>`);
  return [command.name, ...args, command.optionsUsage ?? ''].filter(Boolean).join(' ');
}

export function helpText(): string {
  // Summaries line up in one column; a usage too long for it puts its summary on the next line.
  const column = 40;
  const commands = adminCommands.map((command) => {
    const usage = `  ${commandUsage(command)}`;
    return usage.length < column - 1
      ? `${usage.padEnd(column)}${command.summary}`
      : `${usage}\n${' '.repeat(column)}${command.summary}`;
  });
  return `${[
    'usage: npm run admin -- [--url URL] [--json] [--as USER --org ORG] <command> [args]',
    '',
    'commands:',
    ...commands,
    '',
    'options:',
    `  --url URL              the Parley server (default: PARLEY_URL or ${defaultUrl})`,
    "  --json                 print the server's JSON answer",
    '  --as USER --org ORG    act as this internal admin with a 5-minute token signed with PARLEY_JWT_SECRET',
    '',
    'Without --as, the CLI authenticates with PARLEY_ADMIN_TOKEN: a token the host signed for an internal admin.',
  ].join('\n')}\n`;
}
