// A Redis of the test's own on 127.0.0.1, keeping nothing on disk (as the machine's does), so that a test
// can kill it and start it again empty on the same port: a Redis restart as production may see one.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pingRedis } from '../../src/cli/service-probes.ts';
import { cleanUpOnExit, findFreePort } from './child-server.ts';
import { redisServerPath } from './test-env.ts';

export const redisServerAvailable = existsSync(redisServerPath);

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** SIGKILL: everything it held is gone. */
  kill(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  start(): Promise<void>;
}

const running = new Set<ChildProcess>();
cleanUpOnExit(() => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startTestRedis(): Promise<TestRedis> {
  const port = await findFreePort();
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const started = spawn(redisServerPath, args, { stdio: 'ignore' });
    running.add(started);
    started.once('exit', () => running.delete(started));
    child = started;
    const deadline = Date.now() + 10_000;
    while (
      !(await pingRedis(`redis://127.0.0.1:${port}`, 500).then(
        () => true,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((resolve) => current.once('exit', resolve));
      current.kill('SIGKILL');
      await exited;
    },
    start,
  };
}
