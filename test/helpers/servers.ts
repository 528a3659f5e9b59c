// Real servers with different settings for one test file, each on its own copy of one migrated PGlite
// database, and the sockets and SDK clients opened on them: all started together and stopped together.
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
