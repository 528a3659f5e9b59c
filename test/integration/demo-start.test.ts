// What a newcomer sees after `npm start`: readable log lines, not JSON; no line per request; and, last, the
// address to open, which is the one the README promises and which answers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
// A cold start compiles the server with tsx; on a loaded 2-core machine that alone can take half a minute.
const START_TIMEOUT_MS = 90_000;
const OPEN_LINE = /^Open (http:\/\/\S+)$/m;

describe('npm start in demo mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-start-'));
  let child: ChildProcess;
  let output = '';
  let openUrl = '';

  beforeAll(async () => {
    // As `npm start` runs it, in a shell where nothing about Parley is set.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(PARLEY_|DATABASE_URL$|LOG_|HOST$|PORT$)/.test(name)),
    );
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      env: { ...env, PORT: '0', PARLEY_DATA_DIR: join(dataDir, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    openUrl = await new Promise<string>((resolve, reject) => {
      const seen = (chunk: Buffer) => {
        output += chunk.toString();
        const url = OPEN_LINE.exec(output)?.[1];
        if (url) resolve(url);
      };
      child.stdout?.on('data', seen);
      child.stderr?.on('data', seen);
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
  }, START_TIMEOUT_MS + 5_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ends what it prints with the address to open, which serves the demo dashboard', async () => {
    const printed = output.trimEnd().split('\n');
    expect(printed.at(-1)).toBe(`Open ${openUrl}`);
    expect(openUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/demo\.html$/);
    const page = await fetch(openUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/widget.js');
  });

  it('prints the address the README tells a newcomer to open', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const promised = new URL(openUrl);
    promised.port = '3000';
    expect(readme).toContain(promised.href);
  });

  it('logs readable lines and no line per request', async () => {
    for (let request = 0; request < 5; request++) await fetch(new URL('/api/demo/users', openUrl));
    await fetch(new URL('/healthz', openUrl));
    const lines = output.split('\n').filter((line) => line.trim() !== '');
    expect(lines.filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
    expect(lines.some((line) => /INFO.*demo data seeded/.test(line))).toBe(true);
    expect(output).not.toMatch(/\/api\/demo\/users|request (completed|answered)|incoming request/);
  });
});
