// Real servers with different settings for one test file, each on its own copy of one migrated PGlite
// database, and the sockets and SDK clients opened on them: all started together and stopped together,
// by hand (startTestServers) or in a suite's beforeAll and afterAll (useTestServers).
import { afterAll, beforeAll } from 'vitest';
import type { ParleyClient, ParleyClientOptions } from '../../src/client/index.ts';
import type { ParleyServer } from '../../src/server/app.ts';
import { pgliteStorages } from './access.ts';
import type { ClientSocket, SocketOptions } from './clients.ts';
import { type OpenedClients, openedClients } from './opened-clients.ts';
import { startTestServer, type TestStorage } from './server.ts';

/** For the `beforeAll` that starts them: PGlite servers take seconds each, many more on a busy machine. */
export const SERVERS_STARTUP_TIMEOUT_MS = 180_000;

export interface TestServers {
  /** In the order of the settings they were started with. */
  servers: ParleyServer[];
  /** The socket at once, to listen on before the handshake, and its connection; closed at `stop`. */
  watch(server: ParleyServer, token: string, options?: SocketOptions): ReturnType<OpenedClients['watch']>;
  /** A socket of the token's user, closed at `stop`; rejects with the connect_error of a refused handshake. */
  open(server: ParleyServer, token: string, options?: SocketOptions): Promise<ClientSocket>;
  /** An SDK client (not yet connected), closed at `stop`. */
  sdk(server: ParleyServer, token: string, options?: Partial<ParleyClientOptions>): ParleyClient;
  stop(): Promise<void>;
}

/** One server per entry of `settings`: extra configuration, as environment variables. */
export async function startTestServers(settings: readonly Record<string, string>[]): Promise<TestServers> {
  const storages = await pgliteStorages(settings.length);
  const servers: ParleyServer[] = [];
  const opened = openedClients();
  const stop = async () => {
    opened.closeAll();
    for (const server of servers) await server.close();
    for (const storage of storages) await storage.destroy();
  };
  try {
    for (const [i, env] of settings.entries()) {
      servers.push(await startTestServer(storages[i] as TestStorage, { env }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    servers,
    watch: (server, token, options) => opened.watch(server.url, token, options),
    open: (server, token, options) => opened.open(server.url, token, options),
    sdk: (server, token, options) => opened.sdk(server.url, token, options),
    stop,
  };
}

/** A suite's servers by the names it gave their settings, and the sockets and clients opened on them. */
export type ServersInUse<Name extends string> = { readonly [N in Name]: ParleyServer } & Pick<
  TestServers,
  'watch' | 'open' | 'sdk'
>;

/**
 * Registers the suite's servers, one per named entry of `settings`: started in its beforeAll, stopped in
 * its afterAll. A server is there once the beforeAll has run.
 */
export function useTestServers<Name extends string>(
  settings: Record<Name, Record<string, string>>,
): ServersInUse<Name> {
  const names = Object.keys(settings) as Name[];
  let running: TestServers | undefined;
  beforeAll(async () => {
    running = await startTestServers(names.map((name) => settings[name]));
  }, SERVERS_STARTUP_TIMEOUT_MS);
  afterAll(() => running?.stop());
  const started = () => {
    if (!running) throw new Error('the test servers are not running: they start in beforeAll');
    return running;
  };
  const inUse: Pick<TestServers, 'watch' | 'open' | 'sdk'> = {
    watch: (server, token, options) => started().watch(server, token, options),
    open: (server, token, options) => started().open(server, token, options),
    sdk: (server, token, options) => started().sdk(server, token, options),
  };
  for (const [i, name] of names.entries()) {
    Object.defineProperty(inUse, name, { get: () => started().servers[i], enumerable: true });
  }
  return inUse as ServersInUse<Name>;
}
