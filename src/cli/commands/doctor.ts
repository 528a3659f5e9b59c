// `parley doctor`: whether this environment would start a working server, one line per check with what to
// do about each warning and failure; exit code 1 if anything fails.
import { ConfigError, loadConfig } from '../../server/config.ts';
import {
  type CheckResult,
  checkDatabase,
  checkDataDir,
  checkDemoMode,
  checkMetrics,
  checkPublicUrl,
  checkRedis,
  checkSmtp,
} from '../doctor-checks.ts';
import type { CliIo, Environment, OperatorCommand } from '../operator-command.ts';

function report(io: CliIo, { status, check, detail }: CheckResult): void {
  io.stdout.write(`${status.padEnd(5)} ${check.padEnd(11)} ${detail}\n`);
}

async function runChecks(env: Environment, io: CliIo, show: (result: CheckResult) => void): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Every other check reads the configuration: without one there is nothing more to say.
    show({ status: 'fail', check: 'config', detail: error.message });
    return;
  }
  show({ status: 'ok', check: 'config', detail: 'loads' });
  const dataDir = await checkDataDir(config);
  show(dataDir);
  show(await checkDatabase(config, io, dataDir.status !== 'fail'));
  show(await checkRedis(config));
  show(await checkSmtp(config));
  show(checkPublicUrl(config));
  show(checkMetrics(config));
  show(checkDemoMode(config));
}

export const doctorCommand: OperatorCommand = {
  name: 'doctor',
  usage: '',
  summary: 'check the configuration and the services it names',
  help: [
    'Checks, from the same environment the server reads: the configuration loads; the data directory is',
    'not in use by another process; the database answers and its migrations are current; Redis answers',
    '(PARLEY_REDIS_URL) and SMTP accepts a connection (PARLEY_SMTP_URL) if set; PARLEY_PUBLIC_URL outside',
    'the demo; how metrics are exposed; demo mode reachable beyond this machine.',
    'Each line reads `ok`, `warn` or `fail`; the exit code is 1 if any check fails.',
  ],
  options: {},
  async run({ env, io }) {
    let failed = 0;
    await runChecks(env, io, (result) => {
      if (result.status === 'fail') failed += 1;
      report(io, result);
    });
    return failed > 0 ? 1 : 0;
  },
};
