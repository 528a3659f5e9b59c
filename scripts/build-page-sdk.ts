// Builds the part of the SDK the full-page chat's own scripts use (public/*.js are plain browser modules):
// web push, as one minified ES module at dist/page/parley-push.js, served beside the page. The widget brings
// its own copy of the SDK inside its bundle, without a way in for the page.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'page');

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const result = await build({
  entryPoints: { 'parley-push': join(root, 'src/client/push.ts') },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  metafile: true,
  outdir: outDir,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((total, output) => total + output.bytes, 0);
console.log(`parley-push.js ${(bytes / 1024).toFixed(1)} KB → dist/page/`);
