// How the build splits the widget (decision 014): the chunk's imports from the main bundle become reads of
// what the main bundle hands over, and a split that would ship code twice, or only for the chunk, fails.
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { asClassicScript, type SharedModule, splitProblems } from '../../scripts/widget-extras.ts';

const shared = (): SharedModule[] => [
  { path: '/app/node_modules/preact/hooks/dist/hooks.mjs', names: new Set() },
  { path: '/app/src/widget/state.ts', names: new Set() },
];

describe('the extras chunk as a classic script', () => {
  it('reads each import from the main bundle’s handover and notes the names it takes', () => {
    const modules = shared();
    const script = asClassicScript(
      'import { useState, useRef as useRef2 } from "0";\nimport {\n  useWidget\n} from "1";\nuseState(useRef2, useWidget);\n',
      modules,
    );
    expect(script).toContain('const { useState, useRef: useRef2 } = shared[0];');
    expect(script).toContain('const { useWidget } = shared[1];');
    expect(script).toMatch(
      /^\(\(\) => \{\n"use strict";\nconst shared = document\.currentScript\.parleyExtras\.shared;/,
    );
    expect(script).not.toContain('import');
    expect(modules.map((module) => [...module.names])).toEqual([['useState', 'useRef'], ['useWidget']]);
  });

  it('leaves any other import as it is, which no classic script parses', () => {
    expect(asClassicScript('import * as hooks from "0";\n', shared())).toContain('import * as hooks');
  });
});

describe('the split between the main bundle and the chunk', () => {
  const input = (...imports: string[]) => ({
    bytes: 1,
    imports: imports.map((path) => ({ path, kind: 'import-statement' as const })),
  });
  const metafile = (inputs: Metafile['inputs']): Metafile => ({ inputs, outputs: {} });

  it('passes when the main bundle uses everything it hands over and none of the chunk', () => {
    const main = metafile({
      'src/widget/index.tsx': input('src/widget/state.ts', 'node_modules/preact/hooks/dist/hooks.mjs'),
      'extras-handover:parley:extras-chunk': input(
        'src/widget/state.ts',
        'node_modules/preact/hooks/dist/hooks.mjs',
      ),
    });
    expect(splitProblems('/app', main, '/app/src/widget/extras', shared())).toEqual([]);
  });

  it('names chunk code in the main bundle, and modules there only for the chunk', () => {
    const main = metafile({
      'src/widget/index.tsx': input('src/widget/extras/emoji.ts', 'node_modules/preact/hooks/dist/hooks.mjs'),
      'src/widget/extras/emoji.ts': input(),
      'extras-handover:parley:extras-chunk': input(
        'src/widget/state.ts',
        'node_modules/preact/hooks/dist/hooks.mjs',
      ),
    });
    expect(splitProblems('/app', main, '/app/src/widget/extras', shared())).toEqual([
      'src/widget/extras/emoji.ts is in the main bundle: the extras chunk brings it (import only its types)',
      'src/widget/state.ts is used only by the extras chunk: move it into src/widget/extras/',
    ]);
  });

  it('names an SDK part the chunk brings when the main bundle has it too', () => {
    const main = metafile({
      'src/widget/index.tsx': input(
        'src/client/push.ts',
        'src/widget/state.ts',
        'node_modules/preact/hooks/dist/hooks.mjs',
      ),
      'src/client/push.ts': input(),
      'extras-handover:parley:extras-chunk': input(
        'src/widget/state.ts',
        'node_modules/preact/hooks/dist/hooks.mjs',
      ),
    });
    expect(
      splitProblems('/app', main, '/app/src/widget/extras', shared(), ['/app/src/client/push.ts']),
    ).toEqual([
      'src/client/push.ts is in the main bundle: the extras chunk brings it (import only its types)',
    ]);
  });
});
