// What a result was measured on and of: the machine, the runtimes and the code, stored with every result
// file so that two files are only compared when they are comparable.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { repoRoot } from './paths.ts';
import { postgresVersion } from './scratch-database.ts';

export interface Machine {
  date: string;
  cpuModel: string;
  cpuCount: number;
  totalMemoryBytes: number;
  /** The 1, 5 and 15 minute load averages when the run started: a busy machine lowers every figure. */
  loadAverage: number[];
  node: string;
  postgres: string | null;
  gitCommit: string | null;
  /** Uncommitted changes under src/ were measured too: the figures are not those of `gitCommit` alone. */
  sourceChanged: boolean | null;
}

function git(...args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

export async function describeMachine(): Promise<Machine> {
  const cpus = os.cpus();
  const changes = git('status', '--porcelain', '--', 'src');
  return {
    date: new Date().toISOString(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    node: process.version,
    postgres: await postgresVersion(),
    gitCommit: git('rev-parse', 'HEAD'),
    sourceChanged: changes === null ? null : changes !== '',
  };
}

export function machineLine(machine: Machine): string {
  const memory = (machine.totalMemoryBytes / 2 ** 30).toFixed(1);
  return (
    `${machine.cpuCount} × ${machine.cpuModel}, ${memory} GiB, Node ${machine.node}, ` +
    `PostgreSQL ${machine.postgres ?? 'not reachable'}, load ${machine.loadAverage.join(' ')} at start, ` +
    `commit ${machine.gitCommit?.slice(0, 10) ?? 'unknown'}${machine.sourceChanged ? ' with uncommitted changes in src/' : ''}, ${machine.date}`
  );
}
