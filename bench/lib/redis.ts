// A Redis of the benchmark's own on a free loopback port, keeping nothing on disk: nodes of a multi-node
// target share it, and no other run on the machine hears their broadcasts.
import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { pingRedis } from '../../src/cli/service-probes.ts';
import { freePort } from './child-server.ts';
import { onCleanup } from './cleanup.ts';

const START_TIMEOUT_MS = 10_000;

export interface BenchRedis {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

export async function startRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = onCleanup(`stop redis-server on ${port}`, async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (
    !(await pingRedis(`redis://127.0.0.1:${port}`, 500).then(
      () => true,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error('redis-server did not start (is it installed?)');
    }
    await delay(50);
  }
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid ?? -1, stop };
}
