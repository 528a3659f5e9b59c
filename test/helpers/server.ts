// Starts a real Parley server on an ephemeral 127.0.0.1 port, on PGlite or on a fresh PostgreSQL database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParleyServer, type StartOptions, startParley } from '../../src/server/app.ts';
import { type ConfigInput, loadConfig } from '../../src/server/config.ts';
import { createTestDatabase } from './postgres.ts';

export type Driver = 'pglite' | 'postgres';
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256!!';

export interface TestServerOptions {
  /** Extra configuration, as environment variables. */
  env?: Partial<Record<keyof ConfigInput, string>>;
  /** Receives every log line (set LOG_LEVEL in `env` to see more than nothing). */
  logStream?: StartOptions['logStream'];
  /** Answers the DNS lookups of email authentication (never the real DNS in tests). */
  resolveDns?: StartOptions['resolveDns'];
  /** The certificate of a push service double the server is to trust. */
  pushCa?: StartOptions['pushCa'];
}

/** A place the server's data lives in; survives server restarts until `destroy`. */
export interface TestStorage {
  driver: Driver;
  env: Record<string, string>;
  destroy(): Promise<void>;
}

export async function createTestStorage(driver: Driver): Promise<TestStorage> {
  if (driver === 'postgres') {
    const database = await createTestDatabase();
    return { driver, env: { DATABASE_URL: database.url }, destroy: database.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-test-'));
  return {
    driver,
    env: { PARLEY_DATA_DIR: dir },
    destroy: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What every test server runs with, in-process or as a child process, unless a test says otherwise. */
export const TEST_SERVER_SETTINGS = {
  HOST: '127.0.0.1',
  PARLEY_JWT_SECRET: TEST_JWT_SECRET,
  PARLEY_DEMO: '0',
  // Generous limits: tests of other behaviour must not trip them; the rate-limit tests set their own.
  PARLEY_RATE_SENDS_PER_10S: '10000',
  PARLEY_RATE_CONNECTS_PER_10S: '10000',
  PARLEY_RATE_WRITES_PER_MINUTE: '100000',
  PARLEY_RATE_EVENTS_PER_10S: '1000000',
  PARLEY_MAX_SOCKETS_PER_USER: '10000',
  PARLEY_MAX_SOCKETS_PER_ADDRESS: '100000',
  // Shedding sends when busy is tested on its own; a loaded test machine must not trip it elsewhere.
  PARLEY_OVERLOAD_LAG_MS: '0',
  PARLEY_SEND_QUEUE_MAX: '1000000',
  PARLEY_SEND_QUEUE_MAX_WAIT_MS: '600000',
  // Every typing and presence signal relayed as it comes: tests follow them one by one.
  PARLEY_TYPING_RELAY_MS: '0',
  PARLEY_PRESENCE_RELAY_MS: '0',
} as const satisfies Partial<Record<keyof ConfigInput, string>>;

export function startTestServer(
  storage: TestStorage,
  options: TestServerOptions = {},
): Promise<ParleyServer> {
  return startParley(
    loadConfig({
      PORT: '0',
      ...TEST_SERVER_SETTINGS,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...storage.env,
      ...options.env,
    }),
    {
      ...(options.logStream ? { logStream: options.logStream } : {}),
      ...(options.resolveDns ? { resolveDns: options.resolveDns } : {}),
      ...(options.pushCa ? { pushCa: options.pushCa } : {}),
    },
  );
}
