// How the widget's two bundles share code (decision 014). The extras chunk (src/widget/extras/) is built
// first: whatever it imports from outside that folder — Preact, the widget's state, its components — is not
// bundled again but taken from the main bundle, which hands those very functions over on the chunk's
// <script> element (src/widget/extras-loader.ts). The main bundle is built second, with the chunk's file
// name, its integrity and the imports it needs as the `parley:extras-chunk` module.
import { relative } from 'node:path';
import type { Metafile, Plugin } from 'esbuild';

export interface ExtrasChunk {
  file: string;
  integrity: string;
}

/** A module of the main bundle the chunk imports: its path, and the names the chunk takes from it. */
export interface SharedModule {
  path: string;
  names: Set<string>;
}

const HANDOVER_MODULE = 'parley:extras-chunk';
const RESOLVING = 'taken-from-main-bundle';

/**
 * For the chunk's build (as an ES module): leaves each import from outside `extrasDir` external, named by
 * its number in `shared`, where its path is collected for the main bundle's build — except the SDK's parts
 * only the chunk uses (`chunkOnly`, absolute paths), which it bundles itself.
 */
export function takenFromMainBundle(
  extrasDir: string,
  shared: SharedModule[],
  chunkOnly: readonly string[] = [],
): Plugin {
  return {
    name: 'taken-from-main-bundle',
    setup(plugin) {
      plugin.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === RESOLVING) return undefined;
        const resolved = await plugin.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: RESOLVING,
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (resolved.path.startsWith(extrasDir) || chunkOnly.includes(resolved.path))
          return { path: resolved.path };
        let index = shared.findIndex((module) => module.path === resolved.path);
        if (index < 0) index = shared.push({ path: resolved.path, names: new Set() }) - 1;
        return { path: String(index), external: true };
      });
    },
  };
}

const NAMED_IMPORT = /^import\s*\{([^}]*)\}\s*from\s*"(\d+)";$/gm;

/**
 * Turns the chunk's ES module into a classic script: each `import { a, b as c } from "3"` becomes
 * `const { a, b: c } = shared[3]`, read from the <script> element the loader made while the chunk runs,
 * and the names are noted in `shared` for the main bundle to hand over. Any other import left would not
 * parse in a classic script, so the build fails rather than a browser.
 */
export function asClassicScript(esm: string, shared: SharedModule[]): string {
  const body = esm.replace(NAMED_IMPORT, (_, specifiers: string, index: string) => {
    const module = shared[Number(index)];
    if (!module) throw new Error(`the extras chunk imports an unknown module ${index}`);
    const bindings = specifiers
      .split(',')
      .map((specifier) => specifier.trim())
      .filter(Boolean)
      .map((specifier) => {
        const [name = '', local = name] = specifier.split(/\s+as\s+/);
        module.names.add(name);
        return name === local ? name : `${name}: ${local}`;
      });
    return `const { ${bindings.join(', ')} } = shared[${index}];`;
  });
  return `(() => {\n"use strict";\nconst shared = document.currentScript.parleyExtras.shared;\n${body}\n})();\n`;
}

/** For the main bundle's build: the `parley:extras-chunk` module (see src/widget/extras-chunk.d.ts). */
export function extrasHandover(chunk: ExtrasChunk, shared: readonly SharedModule[]): Plugin {
  const imports = shared.map(
    ({ path, names }, index) =>
      `import { ${[...names].map((name) => `${name} as m${index}_${name}`).join(', ')} } from ${JSON.stringify(path)};`,
  );
  const objects = shared.map(
    ({ names }, index) => `{ ${[...names].map((name) => `${name}: m${index}_${name}`).join(', ')} }`,
  );
  return {
    name: 'extras-handover',
    setup(plugin) {
      plugin.onResolve({ filter: /^parley:extras-chunk$/ }, () => ({
        path: HANDOVER_MODULE,
        namespace: 'extras-handover',
      }));
      plugin.onLoad({ filter: /.*/, namespace: 'extras-handover' }, () => ({
        contents: [
          ...imports,
          `export const file = ${JSON.stringify(chunk.file)};`,
          `export const integrity = ${JSON.stringify(chunk.integrity)};`,
          // Only the names the chunk uses: the rest of each module stays free to be inlined or dropped.
          `export const shared = [${objects.join(', ')}];`,
        ].join('\n'),
        loader: 'js',
        resolveDir: '/',
      }));
    },
  };
}

/**
 * What breaks the split, as lines to print: the main bundle importing the chunk's code (it would be
 * downloaded twice), or a module in the main bundle only because the chunk needs it (it belongs in the
 * chunk's folder).
 */
export function splitProblems(
  root: string,
  main: Metafile,
  extrasDir: string,
  shared: readonly SharedModule[],
  chunkOnly: readonly string[] = [],
): string[] {
  const inExtras = relative(root, extrasDir);
  const onlyInChunk = new Set(chunkOnly.map((path) => relative(root, path)));
  const problems = Object.keys(main.inputs)
    .filter((input) => input.startsWith(`${inExtras}/`) || onlyInChunk.has(input))
    .map((input) => `${input} is in the main bundle: the extras chunk brings it (import only its types)`);
  const importedBy = new Map<string, string[]>();
  for (const [input, { imports }] of Object.entries(main.inputs)) {
    for (const { path } of imports) importedBy.set(path, [...(importedBy.get(path) ?? []), input]);
  }
  for (const path of shared.map((module) => relative(root, module.path))) {
    const importers = importedBy.get(path) ?? [];
    if (importers.every((importer) => importer.endsWith(HANDOVER_MODULE)))
      problems.push(`${path} is used only by the extras chunk: move it into src/widget/extras/`);
  }
  return problems;
}
