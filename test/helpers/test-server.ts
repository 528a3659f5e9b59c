// One real server for a suite, on a fresh storage of the given driver: started in the suite's beforeAll and
// stopped in its afterAll, with every socket and SDK client the suite opened through it.
import { afterAll, beforeAll } from 'vitest';
import type { ParleyClient, ParleyClientOptions } from '../../src/client/index.ts';
import type { ParleyServer } from '../../src/server/app.ts';

import type { ClientSocket, SocketOptions } from './clients.ts';
import { type OpenedClients, openedClients } from './opened-clients.ts';
import {
  createTestStorage,
  type Driver,
  startTestServer,
  type TestServerOptions,
  type TestStorage,
} from './server.ts';

export interface ServerInUse {
  /** The running server; only once the suite's beforeAll has run. */
  readonly server: ParleyServer;
  readonly url: string;
  /** Where its data lives, such as the DATABASE_URL a test reads the stored rows from. */
  readonly storage: TestStorage;
  /** A socket of the token's user, closed after the suite; rejects with the connect_error of a refusal. */
  open(token: string, options?: SocketOptions): Promise<ClientSocket>;
  /** The socket at once, to listen on before the handshake, and its connection; closed after the suite. */
  watch(token: string, options?: SocketOptions): ReturnType<OpenedClients['watch']>;
  /** An SDK client (not yet connected), closed after the suite. */
  sdk(token: string, options?: Partial<ParleyClientOptions>): ParleyClient;
}

export interface UseTestServerOptions extends TestServerOptions {
  /** For the beforeAll that starts it, where the default hook timeout is not enough. */
  startupTimeoutMs?: number;
}

/** Registers the suite's server; call it in a describe block (or at the top of a file), not in a test. */
export function useTestServer(driver: Driver, options: UseTestServerOptions = {}): ServerInUse {
  const { startupTimeoutMs, ...serverOptions } = options;
  const opened = openedClients();
  let running: { server: ParleyServer; storage: TestStorage } | undefined;
  beforeAll(async () => {
    const storage = await createTestStorage(driver);
    try {
      running = { server: await startTestServer(storage, serverOptions), storage };
    } catch (error) {
      await storage.destroy();
      throw error;
    }
  }, startupTimeoutMs);
  afterAll(async () => {
    opened.closeAll();
    await running?.server.close();
    await running?.storage.destroy();
  });
  const started = () => {
    if (!running) throw new Error('the test server is not running: it starts in beforeAll');
    return running;
  };
  const server = () => started().server;
  return {
    get server() {
      return server();
    },
    get url() {
      return server().url;
    },
    get storage() {
      return started().storage;
    },
    watch: (token, socketOptions) => opened.watch(server().url, token, socketOptions),
    open: (token, socketOptions) => opened.open(server().url, token, socketOptions),
    sdk: (token, clientOptions) => opened.sdk(server().url, token, clientOptions),
  };
}
