// Runs Parley as a real child process, so fault tests can kill it with SIGKILL and start it again on the
// same port and data. Every child is tracked and killed when the test process ends, pass or fail.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TEST_SERVER_SETTINGS } from './server.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// A cold start (tsx compiling the server) on a loaded 2-core machine can take half a minute by itself.
const readyTimeoutMs = 60_000;
const pollIntervalMs = 50;
const stopTimeoutMs = 10_000;
// Enough of the tail to explain a failure; a chatty child must not grow the test process without bound.
const maxOutputChars = 256 * 1024;

/** Environment for the child; `undefined` removes a variable inherited from the test process. */
export type ChildEnv = Record<string, string | undefined>;

export interface ChildServerOptions {
  env?: ChildEnv;
  /** Defaults to a free port, chosen once so that `restart` comes back on the same address. */
  port?: number;
}

export interface ChildServer {
  /** http://127.0.0.1:PORT; stays the same across restarts. */
  readonly url: string;
  readonly port: number;
  /** The process id of the current run; changes on restart. */
  readonly pid: number;
  /** Sends `signal` (SIGKILL unless told) and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Graceful shutdown: SIGTERM, then waits for the exit. Rejects if the server hangs or exits non-zero. */
  stop(): Promise<void>;
  /** Starts the server again with the same environment and port (stopping it first if it still runs). */
  restart(): Promise<void>;
  /** Everything the child wrote to stdout and stderr, over all its runs. */
  output(): string;
}

const running = new Set<ChildProcess>();

/** Kills every child server still running; for `afterAll` hooks of fault suites. */
export async function killAllChildServers(): Promise<void> {
  await Promise.all([...running].map((child) => killAndWait(child, 'SIGKILL')));
}

let signalsEndProcess = false;

/**
 * Runs `cleanup` (synchronous, as 'exit' handlers must be) when the test process ends, even without its
 * afterAll hooks: vitest stops its fork workers with SIGTERM and Ctrl-C sends SIGINT, and by default both
 * kill the process without any 'exit' handler; here they become a normal exit that runs them.
 */
export function cleanUpOnExit(cleanup: () => void): void {
  process.on('exit', cleanup);
  if (signalsEndProcess) return;
  signalsEndProcess = true;
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => process.exit(code));
  }
}

cleanUpOnExit(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port nobody listens on right now, from the kernel's ephemeral range. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error(`unexpected listen address ${String(address)}`));
      });
    });
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function killAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const exited = waitForExit(child);
  if (!hasExited(child)) child.kill(signal);
  return exited;
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    // Not listening yet (ECONNREFUSED) or still booting: the caller polls again.
    return false;
  }
}

export async function startChildServer(options: ChildServerOptions = {}): Promise<ChildServer> {
  const port = options.port ?? (await findFreePort());
  const url = `http://127.0.0.1:${port}`;
  const env: ChildEnv = {
    ...process.env,
    ...TEST_SERVER_SETTINGS,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    // Ten times the in-process limits: fault tests reconnect and resend in bursts and must not trip them.
    PARLEY_RATE_SENDS_PER_10S: '100000',
    PARLEY_RATE_CONNECTS_PER_10S: '100000',
    PARLEY_RATE_WRITES_PER_MINUTE: '1000000',
    PARLEY_RATE_EVENTS_PER_10S: '10000000',
    ...options.env,
  };
  let output = '';
  let child: ChildProcess;
  let spawnError: Error | undefined;

  const capture = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-maxOutputChars);
  };

  const launch = async () => {
    spawnError = undefined;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const current = child;
    current.once('exit', () => running.delete(current));
    current.once('error', (error) => {
      spawnError = error;
      running.delete(current);
    });
    current.stdout?.on('data', capture);
    current.stderr?.on('data', capture);
    await waitUntilReady(current);
  };

  const waitUntilReady = async (current: ChildProcess) => {
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (spawnError) throw new Error(`Parley child could not be started: ${spawnError.message}`);
      if (hasExited(current)) {
        throw new Error(
          `Parley child exited before it was ready (code ${current.exitCode}, signal ${current.signalCode}):\n${output}`,
        );
      }
      // Healthy and still alive: the answer came from this child, not from someone else on the port.
      if ((await isHealthy(url)) && !hasExited(current)) return;
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
    await killAndWait(current, 'SIGKILL');
    throw new Error(`Parley child did not answer ${url}/healthz within ${readyTimeoutMs} ms:\n${output}`);
  };

  const stop = async () => {
    const current = child;
    if (hasExited(current)) return;
    const timer = setTimeout(() => current.kill('SIGKILL'), stopTimeoutMs);
    await killAndWait(current, 'SIGTERM');
    clearTimeout(timer);
    if (current.exitCode !== 0) {
      throw new Error(
        `Parley child did not stop cleanly on SIGTERM (code ${current.exitCode}, signal ${current.signalCode}):\n${output}`,
      );
    }
  };

  await launch();
  return {
    url,
    port,
    get pid() {
      return child.pid ?? -1;
    },
    kill: (signal = 'SIGKILL') => killAndWait(child, signal),
    stop,
    restart: async () => {
      await stop();
      output += `\n--- restart (previous pid ${child.pid}) ---\n`;
      await launch();
    },
    output: () => output,
  };
}
