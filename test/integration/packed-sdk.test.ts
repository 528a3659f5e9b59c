// The SDK as a host app gets it: `npm pack` builds it to JavaScript with declarations, and a plain Node
// project (no TypeScript loader) imports it, while TypeScript finds its types. The tarball's dependencies
// come from this checkout's node_modules, so the test needs no registry.
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
/** Without the test runner's loaders: what a host's `node` is. */
const plainEnv = { ...process.env, NODE_OPTIONS: '' };

describe('the packed SDK', () => {
  let scratch: string;
  let app: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'parley-pack-'));
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', scratch], {
      cwd: root,
      env: plainEnv,
    });
    const tarball = join(scratch, stdout.trim().split('\n').at(-1) ?? '');
    app = join(scratch, 'app');
    const installed = join(app, 'node_modules', 'parley');
    mkdirSync(installed, { recursive: true });
    await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const dependency of Object.keys(manifest.dependencies)) {
      const target = join(app, 'node_modules', dependency);
      mkdirSync(join(target, '..'), { recursive: true });
      symlinkSync(join(root, 'node_modules', dependency), target, 'dir');
    }
    writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  }, 120_000);
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('ships only the built client and protocol', () => {
    const installed = join(app, 'node_modules', 'parley');
    for (const file of ['client/index.js', 'client/index.d.ts', 'protocol/index.js', 'protocol/index.d.ts'])
      expect(existsSync(join(installed, 'dist', file)), file).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
  });

  it('imports into a plain Node ESM project and makes a client', async () => {
    writeFileSync(
      join(app, 'main.js'),
      [
        "import { createParleyClient, RefusalError } from 'parley/client';",
        "import { errorStatus } from 'parley/protocol';",
        "const client = createParleyClient({ url: 'http://127.0.0.1:9', getToken: async () => 'token' });",
        'console.log(JSON.stringify({ status: client.status, refusal: typeof RefusalError, notFound: errorStatus.not_found }));',
      ].join('\n'),
    );
    const { stdout } = await run(process.execPath, ['main.js'], { cwd: app, env: plainEnv });
    expect(JSON.parse(stdout)).toEqual({ status: 'connecting', refusal: 'function', notFound: 404 });
  });

  it('gives TypeScript users the declarations', async () => {
    writeFileSync(
      join(app, 'check.ts'),
      [
        "import { type ConnectionStatus, createParleyClient } from 'parley/client';",
        "import type { Conversation } from 'parley/protocol';",
        "const client = createParleyClient({ url: 'http://localhost', getToken: async () => 'token' });",
        'export const status: ConnectionStatus = client.status;',
        'export const list: readonly Conversation[] = client.conversations;',
        '// @ts-expect-error a body is a string (this fails to compile if the declarations were missing)',
        "client.send('c1', 42);",
      ].join('\n'),
    );
    const compilerOptions = {
      module: 'NodeNext',
      strict: true,
      noEmit: true,
      lib: ['ES2022', 'DOM'],
      types: [],
    };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.ts'] }));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(run(process.execPath, [tsc, '-p', app], { env: plainEnv })).resolves.toBeDefined();
  });
});
