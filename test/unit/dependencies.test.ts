// A fresh `npm ci` on the Node.js version the README asks for installs without an engine warning, and every
// dependency's install script has been reviewed (package.json `allowScripts`), so that npm lists nothing to do.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<
    string,
    { version?: string; engines?: { node?: string } | string[]; hasInstallScript?: boolean }
  >;
};
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The locked packages (not the project itself), named as npm names them. */
const lockedPackages = Object.entries(lock.packages)
  .filter(([path]) => path !== '')
  .map(([path, entry]) => ({
    name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
    ...entry,
  }));

describe('installing Parley', () => {
  const oldestNode = semver.minVersion(manifest.engines.node);

  it('asks for the Node.js major version the README names', () => {
    expect(oldestNode?.major).toBe(20);
    expect(readme).toContain(`Node.js ${oldestNode?.major}`);
  });

  it('locks no package that refuses the oldest Node.js Parley supports, or the one running the tests', () => {
    const refusing = lockedPackages
      .map((entry) => ({ ...entry, range: Array.isArray(entry.engines) ? undefined : entry.engines?.node }))
      .filter(({ range }) => range !== undefined)
      .filter(
        ({ range }) =>
          !semver.satisfies(String(oldestNode), range ?? '*') ||
          !semver.satisfies(process.version, range ?? '*'),
      )
      .map(({ name, version, range }) => `${name}@${version} needs node ${range}`);
    expect(refusing).toEqual([]);
  });

  it('has reviewed every install script it locks', () => {
    const unreviewed = lockedPackages
      .filter((entry) => entry.hasInstallScript)
      .filter((entry) => manifest.allowScripts?.[entry.name] === undefined);
    expect(unreviewed.map((entry) => `${entry.name}@${entry.version}`)).toEqual([]);
  });
});
