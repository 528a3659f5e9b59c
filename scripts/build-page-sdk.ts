// Builds the parts of the SDK the full-page chat's own scripts use (public/*.js are plain browser modules),
// each a minified ES module served beside the page: web push (dist/page/parley-push.js) and the host's token
// route (dist/page/parley-token.js). The widget brings its own copy of the SDK inside its bundle, without a
// way in for the page.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'page');

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const result = await build({
  entryPoints: {
    'parley-push': join(root, 'src/client/push.ts'),
    'parley-token': join(root, 'src/client/page-token.ts'),
  },
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
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  console.log(`${file.split('/').at(-1)} ${(output.bytes / 1024).toFixed(1)} KB → dist/page/`);
}
