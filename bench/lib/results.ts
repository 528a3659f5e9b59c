// Writes one invocation's result files: `<scenario>-<UTC date and minute>.<ext>` and a `<scenario>-latest`
// copy of each, so that the newest figures have a stable name to link to.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { defaultResultsDir, repoRoot } from './paths.ts';

export interface ResultFiles {
  /** Every figure, with the machine and the options. */
  json: unknown;
  markdown: string;
  svg?: string;
}

/** The `--out` option every scenario takes: where its files go instead of bench/results/. */
export const outOption = { out: { type: 'string' } } as const;

/** Writes the files, prints the markdown on stdout and where the files went on stderr. */
export async function publishResults(
  scenario: string,
  date: string,
  files: ResultFiles,
  outDir: string | undefined,
): Promise<void> {
  const written = await writeResults(scenario, date, files, outDir ?? defaultResultsDir);
  process.stdout.write(`\n${files.markdown}`);
  process.stderr.write(
    `\nwritten: ${written.filter((path) => !path.includes('-latest.')).join(', ')} (and -latest copies)\n`,
  );
}

export async function writeResults(
  scenario: string,
  date: string,
  files: ResultFiles,
  outDir: string,
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const stamp = date.slice(0, 16).replace(':', '-');
  const contents: [string, string][] = [
    ['json', `${JSON.stringify(files.json, null, 2)}\n`],
    ['md', files.markdown],
  ];
  if (files.svg) contents.push(['svg', files.svg]);
  const written: string[] = [];
  for (const [extension, content] of contents) {
    for (const name of [`${scenario}-${stamp}`, `${scenario}-latest`]) {
      const path = join(outDir, `${name}.${extension}`);
      await writeFile(path, content);
      written.push(path);
    }
  }
  formatAsTheRepository(written);
  return written;
}

/**
 * Result files committed to the repository must pass its check (Biome formats every JSON file, and lays
 * out arrays as JSON.stringify does not): Biome itself writes them. Files outside the repository are left
 * as they are.
 */
function formatAsTheRepository(paths: readonly string[]): void {
  const inRepository = paths.filter(
    (path) => path.endsWith('.json') && !relative(repoRoot, path).startsWith('..'),
  );
  if (inRepository.length === 0) return;
  try {
    execFileSync(join(repoRoot, 'node_modules/.bin/biome'), ['format', '--write', ...inRepository], {
      cwd: repoRoot,
      stdio: 'ignore',
    });
  } catch {
    console.error(
      'could not format the JSON results with Biome: run `npm run format` before committing them',
    );
  }
}
