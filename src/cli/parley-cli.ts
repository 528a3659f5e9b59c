// The operator CLI as a function (`parley <command>`): picks the command, reads its options, runs it and
// turns expected failures into one line on stderr. The entry (parley.ts) hands it the environment; tests
// call it directly. `parley admin ...` is the admin CLI, which works through a running server.
import { ConfigError } from '../server/config.ts';
import { runAdminCli } from './admin-cli.ts';
import { copyToPostgresCommand } from './commands/copy-to-postgres.ts';
import { createApiKeyCommand } from './commands/create-api-key.ts';
import { doctorCommand } from './commands/doctor.ts';
import { exportCommand } from './commands/export.ts';
import { migrateCommand } from './commands/migrate.ts';
import { seedDemoCommand } from './commands/seed-demo.ts';
import { startCommand } from './commands/start.ts';
import { tokenCommand } from './commands/token.ts';
import { type CliIo, CommandFailure, type Environment, type OperatorCommand } from './operator-command.ts';
import { parseCommandLine, UsageError } from './options.ts';

export const operatorCommands: readonly OperatorCommand[] = [
  startCommand,
  migrateCommand,
  seedDemoCommand,
  tokenCommand,
  createApiKeyCommand,
  exportCommand,
  copyToPostgresCommand,
  doctorCommand,
];

export function helpText(): string {
  // The longest name and two spaces, then the summaries in one column.
  const column = Math.max(...operatorCommands.map((command) => command.name.length)) + 4;
  return `${[
    'usage: parley <command> [options]      (from a checkout: npm run parley -- <command> [options])',
    '',
    'commands:',
    ...operatorCommands.map((command) => `  ${command.name.padEnd(column - 2)}${command.summary}`),
    `  ${'admin'.padEnd(column - 2)}administer a running server through its admin API (parley admin --help)`,
    '',
    'Commands read the same environment as the server (DATABASE_URL or PARLEY_DATA_DIR, PARLEY_JWT_SECRET, ...).',
    '`parley <command> --help` tells more. Exit codes: 0 done, 1 failed, 2 wrong usage.',
  ].join('\n')}\n`;
}

function commandHelp(command: OperatorCommand): string {
  const usage = ['usage: parley', command.name, command.usage].filter(Boolean).join(' ');
  return `${[usage, '', command.summary, ...(command.help.length > 0 ? ['', ...command.help] : [])].join('\n')}\n`;
}

// Empty variables count as unset, as in the server's configuration.
const variable = (env: Environment, name: string): string | undefined => env[name] || undefined;

function runAdmin(argv: readonly string[], env: Environment, io: CliIo): Promise<number> {
  return runAdminCli(
    argv,
    {
      url: variable(env, 'PARLEY_URL'),
      token: variable(env, 'PARLEY_ADMIN_TOKEN'),
      jwtSecret: variable(env, 'PARLEY_JWT_SECRET'),
    },
    io,
  );
}

/** Runs one command; resolves to the exit code: 0 done, 1 refused or failed, 2 wrong usage. */
export async function runParleyCli(argv: readonly string[], env: Environment, io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === 'admin') return runAdmin(args, env, io);
  const command = operatorCommands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(`error: unknown command: ${name}\n\n${helpText()}`);
    return 2;
  }
  try {
    const { values } = parseCommandLine({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    return await command.run({ options: values, env, io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n\n${commandHelp(command)}`);
      return 2;
    }
    if (error instanceof CommandFailure || error instanceof ConfigError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
