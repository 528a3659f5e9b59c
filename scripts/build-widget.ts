// Builds the embeddable widget: one minified IIFE (Preact, the client SDK and socket.io-client included,
// bundled by esbuild and compressed further by terser),
// a content-hashed copy for hosts that pin it with Subresource Integrity, and a manifest the server reads.
// Fails above the size budget, or when a server-only dependency (zod) leaks into the bundle. The stylesheet,
// written as readable template strings, goes in minified.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin, transform } from 'esbuild';
import { minify } from 'terser';

const BUDGET_GZIP_BYTES = 60 * 1024;
/** Packages that must never reach browsers: the widget imports only types from the protocol. */
const FORBIDDEN_PACKAGES = ['zod'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'widget');

/** Puts the widget's stylesheet in as one minified string: the readable CSS costs the budget nothing. */
const minifiedStyles: Plugin = {
  name: 'minified-styles',
  setup(plugin) {
    plugin.onLoad({ filter: /src[\\/]widget[\\/]styles\.ts$/ }, async () => {
      const { styles } = (await import('../src/widget/styles.ts')) as { styles: string };
      const { code } = await transform(styles, { loader: 'css', minify: true });
      return { contents: `export const styles = ${JSON.stringify(code)};`, loader: 'ts' };
    });
  },
};

/**
 * Leaves engine.io's WebTransport out: the SDK connects over WebSocket or long-polling only (its `transports`
 * option admits nothing else), so that code could never run and would only cost the budget.
 */
const withoutWebTransport: Plugin = {
  name: 'without-webtransport',
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\/webtransport\.js$/ }, (args) =>
      args.importer.includes('engine.io-client') ? { path: 'webtransport', namespace: 'unused' } : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({
      contents: "export class WT { constructor() { throw new Error('WebTransport is not used'); } }",
      loader: 'js',
    }));
  },
};

const result = await build({
  entryPoints: [join(root, 'src/widget/index.tsx')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  metafile: true,
  plugins: [minifiedStyles, withoutWebTransport],
  write: false,
  logLevel: 'warning',
});

const leaked = Object.keys(result.metafile.inputs).filter((input) =>
  FORBIDDEN_PACKAGES.some((name) => input.includes(`node_modules/${name}/`)),
);
if (leaked.length > 0) {
  console.error(`The widget bundle must not contain ${FORBIDDEN_PACKAGES.join(', ')}; it pulled in:`);
  for (const input of leaked.slice(0, 10)) console.error(`  ${input}`);
  console.error('Import only types from src/protocol (import type …), or import from the exact module.');
  process.exit(1);
}

const [output] = result.outputFiles;
if (!output) throw new Error('esbuild produced no output');
// esbuild bundles and minifies fast; terser's further passes (inlining, dead branches, shorter forms) take
// a few seconds more and some 3 % off the gzip size, which is budget the widget's features need.
const compressed = await minify(output.text, {
  ecma: 2020,
  compress: { passes: 2, pure_getters: true },
  mangle: true,
  format: { comments: false },
});
if (compressed.code === undefined) throw new Error('terser produced no output');
const source = Buffer.from(compressed.code);
const hash = createHash('sha256').update(source).digest('hex').slice(0, 8);
const gzipBytes = gzipSync(source, { level: 9 }).length;
const manifest = {
  file: 'widget.js',
  hashed: `widget.${hash}.js`,
  integrity: `sha384-${createHash('sha384').update(source).digest('base64')}`,
  bytes: source.length,
  gzipBytes,
};

// Old hashed copies go: the directory always holds exactly one build.
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, manifest.file), source);
writeFileSync(join(outDir, manifest.hashed), source);
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(
  `widget.js ${kb(manifest.bytes)}, ${kb(gzipBytes)} gzip, budget ${kb(BUDGET_GZIP_BYTES).replace('.0', '')}` +
    ` → dist/widget/${manifest.hashed}`,
);
if (gzipBytes > BUDGET_GZIP_BYTES) {
  console.error(`The widget is over its budget by ${kb(gzipBytes - BUDGET_GZIP_BYTES)} gzip.`);
  process.exit(1);
}
