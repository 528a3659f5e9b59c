// nginx (Debian's package) in front of test nodes on 127.0.0.1, with deploy/nginx.conf as operators use it:
// only its listen address and its upstream servers are the test's own.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanUpOnExit, findFreePort } from './child-server.ts';
import { nginxPath } from './test-env.ts';

const DEPLOYED_CONFIG = fileURLToPath(new URL('../../deploy/nginx.conf', import.meta.url));

export const nginxAvailable = existsSync(nginxPath);

export interface TestNginx {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
cleanUpOnExit(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** deploy/nginx.conf listening on `port` of 127.0.0.1 and forwarding to the nodes' ports. */
function deployedConfigFor(port: number, nodePorts: readonly number[]): string {
  const deployed = readFileSync(DEPLOYED_CONFIG, 'utf8');
  const servers = nodePorts.map((node) => `    server 127.0.0.1:${node} max_fails=1 fail_timeout=3s;`);
  const upstream = deployed.replace(/( {4}server 10\.0\.0\.\d+:3000 [^\n]*\n)+/, `${servers.join('\n')}\n`);
  if (upstream === deployed) throw new Error('deploy/nginx.conf has no upstream servers to replace');
  const listening = upstream.replace(/listen 80;/, `listen 127.0.0.1:${port};`);
  if (listening === upstream) throw new Error('deploy/nginx.conf has no `listen 80;` to replace');
  return listening;
}

/** nginx on `port` (a free one unless given: a restart comes back on the same address). */
export async function startNginx(nodePorts: readonly number[], port?: number): Promise<TestNginx> {
  port ??= await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  // Workers run as an unprivileged user and write their temporary files here.
  chmodSync(dir, 0o777);
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
    mkdirSync(join(dir, temp), { mode: 0o777 });
  writeFileSync(join(dir, 'parley.conf'), deployedConfigFor(port, nodePorts));
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (temp) => `  ${temp === 'body' ? 'client_body' : temp}_temp_path ${join(dir, temp)};`,
      ),
      `  include ${join(dir, 'parley.conf')};`,
      '}',
    ].join('\n'),
  );
  const child = spawn(nginxPath, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answered = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
      throw new Error(`nginx did not start:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
