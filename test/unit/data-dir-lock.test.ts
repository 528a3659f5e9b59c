// The data directory lock on its own: one holder at a time in this process too, and a lock whose noted
// holder is gone from this host is taken over at once, without waiting for it to go stale.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/server/app/data-dir-lock.ts';
import { ConfigError } from '../../src/server/config.ts';

const neverLost = (error: Error) => {
  throw error;
};

describe('the data directory lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-lock-unit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second holder in the same process until the first lets go', async () => {
    const first = await lockDataDir(dir, neverLost);
    await expect(lockDataDir(dir, neverLost)).rejects.toThrow(ConfigError);
    await expect(lockDataDir(dir, neverLost)).rejects.toThrow(
      `PARLEY_DATA_DIR: ${dir} is in use by Parley process ${process.pid} on ${hostname()}`,
    );
    await first.release();
    const second = await lockDataDir(dir, neverLost);
    await second.release();
  });

  it('takes over at once a fresh lock whose holder on this host no longer runs', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await mkdir(join(dir, 'parley.lock'));
    await writeFile(join(dir, 'parley.lock.holder'), JSON.stringify({ pid: gone, host: hostname() }));

    const lock = await lockDataDir(dir, neverLost);
    expect(JSON.parse(await readFile(join(dir, 'parley.lock.holder'), 'utf8'))).toEqual({
      pid: process.pid,
      host: hostname(),
    });
    await lock.release();
  });

  it('leaves a fresh lock noted by another host to expire', async () => {
    await mkdir(join(dir, 'parley.lock'));
    await writeFile(join(dir, 'parley.lock.holder'), JSON.stringify({ pid: 1, host: 'another-host' }));
    await expect(lockDataDir(dir, neverLost)).rejects.toThrow(
      /in use by Parley process 1 on another-host[\s\S]*expires within 20 s/,
    );
  });
});
