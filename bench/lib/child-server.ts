// A server under test as a child process on a free loopback port: started, awaited on GET /healthz, its
// output kept (only the tail, printed when it fails), and stopped on cleanup or when this process exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { onCleanup } from './cleanup.ts';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5000;
const TAIL_LINES = 40;

export interface ChildServer {
  name: string;
  pid: number;
  url: string;
  /** Null while it runs; the exit code (or signal) once it has gone. */
  exited: () => string | null;
  /** The last lines it wrote, for an error message. */
  tail: () => string;
  stop: () => Promise<void>;
}

export interface ChildServerOptions {
  name: string;
  /** Arguments to `node`: the server runs on the same Node as the benchmark. */
  args: string[];
  /** The whole environment: nothing of the benchmark's own leaks in (a DATABASE_URL, a PARLEY_*). */
  env: Record<string, string>;
  cwd: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

function keepTail(child: ChildProcess): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - TAIL_LINES));
  };
  // Always read both pipes: a full pipe would block the server's logging and so the server.
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = keepTail(child);
  let exitStatus: string | null = null;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitStatus = signal ?? String(code);
      resolve();
    }),
  );
  // Cleanup is asynchronous; a crash of the benchmark still takes the server down with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = onCleanup(`stop ${options.name}`, async () => {
    process.off('exit', killOnExit);
    if (exitStatus !== null) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([gone.then(() => true), delay(STOP_TIMEOUT_MS).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await gone;
    }
  });
  const server: ChildServer = {
    name: options.name,
    pid: child.pid ?? -1,
    url,
    exited: () => exitStatus,
    tail,
    stop,
  };
  try {
    await waitForHealth(server);
  } catch (error) {
    await stop();
    throw error;
  }
  return server;
}

async function waitForHealth(server: ChildServer): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const status = server.exited();
    if (status !== null)
      throw new Error(`${server.name} exited (${status}) while starting:\n${server.tail()}`);
    const healthy = await fetch(`${server.url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await delay(100);
  }
  throw new Error(
    `${server.name} did not answer /healthz within ${START_TIMEOUT_MS / 1000} s:\n${server.tail()}`,
  );
}
