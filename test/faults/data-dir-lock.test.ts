// The embedded database serves one process: a second Parley on the same PARLEY_DATA_DIR refuses to start and
// says what to do, and a lock left by a process killed with SIGKILL does not keep the next one out.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, killAllChildServers, startChildServer } from '../helpers/child-server.ts';

describe('one Parley process per data directory', () => {
  let dataDir: string;
  const env = () => ({ PARLEY_DATA_DIR: dataDir, DATABASE_URL: undefined });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-lock-'));
  });
  afterAll(async () => {
    await killAllChildServers();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second process while the first runs, and starts after the first was killed', async () => {
    const first: ChildServer = await startChildServer({ env: env() });

    const second = startChildServer({ env: env() });
    await expect(second).rejects.toThrow(/exited before it was ready \(code 1/);
    await expect(second).rejects.toThrow(
      new RegExp(`PARLEY_DATA_DIR: ${dataDir} is in use by Parley process ${first.pid}[\\s\\S]*DATABASE_URL`),
    );
    // The refused process left the first one's lock as it was.
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);

    await first.kill('SIGKILL');
    const third = await startChildServer({ env: env() });
    expect((await fetch(`${third.url}/readyz`)).status).toBe(200);

    await third.stop();
    expect(existsSync(join(dataDir, 'parley.lock'))).toBe(false);
  }, 180_000);
});
