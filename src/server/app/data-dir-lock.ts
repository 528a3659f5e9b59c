// One Parley process per embedded data directory: PGlite keeps the database's pages in its own memory, so a
// second process on the same files would overwrite the first one's writes and corrupt them.
//
// The lock is a directory created atomically (proper-lockfile) whose mtime the holder refreshes: one left by
// a process that died on another machine or container goes stale on its own. Beside it the holder notes its
// pid and host, so that a lock left by a killed process on this host is taken over at once, not after the
// stale period.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { ConfigError } from '../config.ts';

/** A lock not refreshed for this long was left by a process that is gone (refreshed every 5 s). */
const STALE_MS = 20_000;
const UPDATE_MS = 5_000;

export interface DataDirLock {
  release(): Promise<void>;
}

/** Directories this process holds: its own pid in a holder note means "left behind" only for others. */
const heldHere = new Set<string>();

interface Holder {
  pid: number;
  host: string;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as someone this process may not signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<Holder | null> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
    return typeof holder.pid === 'number' && typeof holder.host === 'string'
      ? { pid: holder.pid, host: holder.host }
      : null;
  } catch (error) {
    // Missing or half-written: its holder died before noting itself, or is noting itself now; its mtime decides.
    if (error instanceof SyntaxError || (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Left by a process of this host that no longer runs. Our own pid counts as gone unless this process holds
 * the directory: a container restarted with the same data runs Parley as the same pid again.
 */
function isLeftBehind(dir: string, holder: Holder | null): holder is Holder {
  if (!holder || holder.host !== hostname()) return false;
  return holder.pid === process.pid ? !heldHere.has(dir) : !isRunning(holder.pid);
}

function inUse(dataDir: string, holder: Holder | null): ConfigError {
  const who = holder ? `Parley process ${holder.pid} on ${holder.host}` : 'another Parley process';
  return new ConfigError(
    `PARLEY_DATA_DIR: ${dataDir} is in use by ${who}, and the embedded database serves one process at a ` +
      'time. Stop that process first (a lock left by one that crashed elsewhere expires within ' +
      `${STALE_MS / 1000} s), or run several Parley processes on PostgreSQL by setting DATABASE_URL`,
  );
}

/**
 * Takes the data directory for this process, or refuses (naming PARLEY_DATA_DIR) while another process
 * holds it. `onLost` hears that another process took the lock over (it was deleted, or not refreshed for
 * the stale period): this process must stop using the directory.
 */
export async function lockDataDir(dataDir: string, onLost: (error: Error) => void): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  const lockPath = join(dir, 'parley.lock');
  const holderPath = join(dir, 'parley.lock.holder');
  const options = {
    realpath: false,
    lockfilePath: lockPath,
    stale: STALE_MS,
    update: UPDATE_MS,
    onCompromised: onLost,
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const holder = await readHolder(holderPath);
    if (!isLeftBehind(dir, holder)) throw inUse(dir, holder);
    await rm(lockPath, { recursive: true, force: true });
    release = await lockfile.lock(dir, options).catch((retryError: unknown) => {
      // Another process starting at the same time took it first.
      if ((retryError as NodeJS.ErrnoException).code === 'ELOCKED') throw inUse(dir, null);
      throw retryError;
    });
  }
  const holder: Holder = { pid: process.pid, host: hostname() };
  // Written whole or not at all: a reader never sees half a note.
  await writeFile(`${holderPath}.tmp`, JSON.stringify(holder));
  await rename(`${holderPath}.tmp`, holderPath);
  heldHere.add(dir);
  return {
    async release() {
      heldHere.delete(dir);
      await rm(holderPath, { force: true });
      await release();
    },
  };
}
