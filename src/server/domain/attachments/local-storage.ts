// Attachment bytes as files in a directory on this machine: the default, under the data directory.
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStorage } from './storage.ts';

/** Keys are Parley's own (random base64url and a fixed suffix), never a user's: no path can escape `dir`. */
function pathOf(dir: string, key: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(key) || key.startsWith('.')) throw new Error(`not a storage key: ${key}`);
  return join(dir, key);
}

export function localStorage(dir: string): ObjectStorage {
  return {
    async put(key, bytes) {
      // Created on first use, not at start: the default lives inside PGlite's directory, which must be
      // created by PGlite itself.
      await mkdir(dir, { recursive: true });
      const path = pathOf(dir, key);
      // Written aside and renamed, so that a crash never leaves a half file under the real key.
      const partial = `${path}.partial`;
      await writeFile(partial, bytes, { flag: 'wx' });
      await rename(partial, path);
    },
    async get(key) {
      const path = pathOf(dir, key);
      try {
        const { size } = await stat(path);
        return { body: createReadStream(path), size };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(keys) {
      await Promise.all(keys.map((key) => rm(pathOf(dir, key), { force: true })));
    },
  };
}
