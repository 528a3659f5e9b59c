// Builds the embeddable widget: one minified IIFE (Preact, the client SDK and socket.io-client included,
// bundled by esbuild and compressed further by terser), a content-hashed copy for hosts that pin it with
// Subresource Integrity, the extras chunk it loads on first use (decision 014, built first: the main bundle
// carries its hashed name and integrity), and a manifest the server reads. Fails above either size budget,
// when the split between the two breaks, or when a server-only dependency (zod) leaks into either. The
// stylesheets, written as readable template strings, go in minified.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin, transform } from 'esbuild';
import { minify } from 'terser';
import {
  asClassicScript,
  type ExtrasChunk,
  extrasHandover,
  type SharedModule,
  splitProblems,
  takenFromMainBundle,
} from './widget-extras.ts';

const BUDGET_GZIP_BYTES = 60 * 1024;
const EXTRAS_BUDGET_GZIP_BYTES = 30 * 1024;
/** Packages that must never reach browsers: the widget imports only types from the protocol. */
const FORBIDDEN_PACKAGES = ['zod'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'widget');
const extrasDir = join(root, 'src', 'widget', 'extras');

/** Puts each bundle's stylesheet in as one minified string: the readable CSS costs the budget nothing. */
const minifiedStyles: Plugin = {
  name: 'minified-styles',
  setup(plugin) {
    plugin.onLoad({ filter: /src[\\/]widget[\\/](extras[\\/])?styles\.ts$/ }, async (args) => {
      const { styles } = (await import(args.path)) as { styles: string };
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

interface Bundle {
  source: Buffer;
  metafile: Metafile;
  bytes: number;
  gzipBytes: number;
  hash: string;
  integrity: string;
}

/**
 * Bundles one entry into a minified classic script: an IIFE, or an ES module that `asScript` turns into one
 * (the chunk). Exits when it pulled in a forbidden package.
 */
async function bundle(entry: string, plugins: Plugin[], asScript?: (esm: string) => string): Promise<Bundle> {
  const result = await build({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    format: asScript ? 'esm' : 'iife',
    platform: 'browser',
    target: 'es2020',
    // The chunk's imports stay one to a line for `asScript` to read; terser minifies it all the same.
    minify: !asScript,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    metafile: true,
    plugins,
    write: false,
    logLevel: 'warning',
  });
  const leaked = Object.keys(result.metafile.inputs).filter((input) =>
    FORBIDDEN_PACKAGES.some((name) => input.includes(`node_modules/${name}/`)),
  );
  if (leaked.length > 0) {
    console.error(`${entry} must not bundle ${FORBIDDEN_PACKAGES.join(', ')}; it pulled in:`);
    for (const input of leaked.slice(0, 10)) console.error(`  ${input}`);
    console.error('Import only types from src/protocol (import type …), or import from the exact module.');
    process.exit(1);
  }
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no output');
  // esbuild bundles and minifies fast; terser's further passes (inlining, dead branches, shorter forms) take
  // a few seconds more and some 3 % off the gzip size, which is budget the widget's features need.
  const compressed = await minify(asScript ? asScript(output.text) : output.text, {
    ecma: 2020,
    compress: { passes: 2, pure_getters: true },
    mangle: true,
    format: { comments: false },
  });
  if (compressed.code === undefined) throw new Error('terser produced no output');
  const source = Buffer.from(compressed.code);
  return {
    source,
    metafile: result.metafile,
    bytes: source.length,
    gzipBytes: gzipSync(source, { level: 9 }).length,
    hash: createHash('sha256').update(source).digest('hex').slice(0, 8),
    integrity: `sha384-${createHash('sha384').update(source).digest('base64')}`,
  };
}

const shared: SharedModule[] = [];
/** The SDK's web push: only the notification settings use it, so it travels in the chunk. */
const chunkOnly = [join(root, 'src', 'client', 'push.ts')];
const extras = await bundle(
  'src/widget/extras/index.ts',
  [minifiedStyles, takenFromMainBundle(extrasDir, shared, chunkOnly)],
  (esm) => asClassicScript(esm, shared),
);
const chunk: ExtrasChunk = { file: `widget-extras.${extras.hash}.js`, integrity: extras.integrity };
const main = await bundle('src/widget/index.tsx', [
  minifiedStyles,
  withoutWebTransport,
  extrasHandover(chunk, shared),
]);
const problems = splitProblems(root, main.metafile, extrasDir, shared, chunkOnly);
if (problems.length > 0) {
  console.error('The widget and its extras chunk are not split as decision 014 says:');
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}

const manifest = {
  file: 'widget.js',
  hashed: `widget.${main.hash}.js`,
  integrity: main.integrity,
  bytes: main.bytes,
  gzipBytes: main.gzipBytes,
  extras: { ...chunk, bytes: extras.bytes, gzipBytes: extras.gzipBytes },
};

// Old hashed copies go: the directory always holds exactly one build.
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, manifest.file), main.source);
writeFileSync(join(outDir, manifest.hashed), main.source);
writeFileSync(join(outDir, chunk.file), extras.source);
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const report = (name: string, built: Bundle, budget: number, file: string) =>
  `${name} ${kb(built.bytes)}, ${kb(built.gzipBytes)} gzip, budget ${kb(budget).replace('.0', '')}` +
  ` → dist/widget/${file}`;
console.log(report('widget.js', main, BUDGET_GZIP_BYTES, manifest.hashed));
console.log(report('extras chunk', extras, EXTRAS_BUDGET_GZIP_BYTES, chunk.file));
let over = false;
for (const [name, built, budget] of [
  ['widget', main, BUDGET_GZIP_BYTES],
  ['extras chunk', extras, EXTRAS_BUDGET_GZIP_BYTES],
] as const) {
  if (built.gzipBytes <= budget) continue;
  console.error(`The ${name} is over its budget by ${kb(built.gzipBytes - budget)} gzip.`);
  over = true;
}
if (over) process.exit(1);
