// PostgreSQL's server programs (initdb, pg_ctl) as this test process may run them: from the directory
// test-env found, and as the `postgres` account when the tests run as root, which both programs refuse.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { postgresBinDir } from './test-env.ts';

const execFileAsync = promisify(execFile);
const asRoot = process.getuid?.() === 0;

/** The programs a private cluster needs. */
const clusterPrograms = ['initdb', 'pg_ctl'];

/** A PostgreSQL program as argv: root runs it as `postgres`, the account Debian's package creates. */
function command(program: string, args: string[]): [string, string[]] {
  const path = postgresBinDir ? join(postgresBinDir, program) : program;
  return asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

/** Runs a PostgreSQL program in `cwd`, which the program's account must be able to enter. */
export async function runPostgresProgram(program: string, args: string[], cwd: string): Promise<void> {
  const [file, argv] = command(program, args);
  try {
    // cwd: the postgres user cannot enter the repository, and PostgreSQL programs fail without a cwd.
    await execFileAsync(file, argv, { cwd });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${program} ${args.join(' ')} failed: ${(error as Error).message}\n${stdout}${stderr}`);
  }
}

/** A directory a private cluster may live in belongs to the account that runs the server. */
export async function giveToPostgres(dir: string): Promise<void> {
  if (asRoot) await execFileAsync('chown', ['postgres:postgres', dir]);
}

/** Why a private cluster cannot be run here (a program missing or not runnable), or undefined if it can. */
export async function postgresProgramsProblem(): Promise<string | undefined> {
  const where = postgresBinDir ?? 'PATH';
  const account = asRoot ? ' as the postgres account' : '';
  for (const program of clusterPrograms) {
    try {
      await runPostgresProgram(program, ['--version'], '/');
    } catch {
      return `cannot run ${program} from ${where}${account}`;
    }
  }
  return undefined;
}
