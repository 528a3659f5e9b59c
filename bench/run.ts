// `npm run bench -- <scenario> [options]`: one entry point for every benchmark, which cleans up what the
// scenario started (servers, scratch databases, temp dirs) however it ends. Options: bench/README.md.
import { spawn } from 'node:child_process';
import { deleteClear } from './delete-clear.ts';
import { historyUnderLoad } from './history-under-load.ts';
import { idle } from './idle.ts';
import { insertRate } from './insert-rate.ts';
import { cleanUp, cleanUpOnExit } from './lib/cleanup.ts';
import { OptionError } from './lib/options.ts';
import { repoRoot } from './lib/paths.ts';
import { sendPath } from './send-path/send-path.ts';

type Scenario = (args: string[]) => Promise<number>;

/** The older benchmarks keep their own scripts; here they run as they are. */
function script(path: string): Scenario {
  return (args) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], {
        cwd: repoRoot,
        stdio: 'inherit',
      });
      child.once('error', reject);
      child.once('exit', (code) => resolve(code ?? 1));
    });
}

const scenarios: Record<string, Scenario> = {
  'send-path': sendPath,
  'insert-rate': insertRate,
  idle,
  'delete-clear': deleteClear,
  'history-under-load': historyUnderLoad,
  search: script('bench/search.ts'),
  list: script('bench/conversation-list.ts'),
};

const [name, ...args] = process.argv.slice(2);
const scenario = name === undefined ? undefined : scenarios[name];
if (!scenario) {
  console.error(
    `usage: npm run bench -- <${Object.keys(scenarios).join(' | ')}> [options] (see bench/README.md)`,
  );
  process.exit(2);
}
cleanUpOnExit();
let status = 1;
try {
  status = await scenario(args);
} catch (error) {
  const option =
    error instanceof OptionError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(option ? `${(error as Error).message} (see bench/README.md)` : error);
  status = option ? 2 : 1;
} finally {
  await cleanUp();
}
// Sockets and timers of a failed run may still hold the event loop open.
process.exit(status);
