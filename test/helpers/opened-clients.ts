// The sockets and SDK clients a suite opens, kept so that they are all closed when its servers stop.
import type { ParleyClient, ParleyClientOptions } from '../../src/client/index.ts';

import { type ClientSocket, openSocket, type SocketOptions } from './clients.ts';
import { sdkClient } from './sdk.ts';

export interface OpenedClients {
  /** Like `openSocket`: the socket at once, to listen on before the handshake, and its connection. */
  watch(baseUrl: string, token: string, options?: SocketOptions): ReturnType<typeof openSocket>;
  /** A socket of the token's user; rejects with the connect_error of a refused handshake. */
  open(baseUrl: string, token: string, options?: SocketOptions): Promise<ClientSocket>;
  /** An SDK client, not yet connected. */
  sdk(baseUrl: string, token: string, options?: Partial<ParleyClientOptions>): ParleyClient;
  closeAll(): void;
}

export function openedClients(): OpenedClients {
  const sockets: ClientSocket[] = [];
  const clients: ParleyClient[] = [];
  return {
    watch(baseUrl, token, options = {}) {
      const opened = openSocket(baseUrl, token, options);
      sockets.push(opened.socket);
      return opened;
    },
    open(baseUrl, token, options = {}) {
      return this.watch(baseUrl, token, options).connected;
    },
    sdk(baseUrl, token, options = {}) {
      const client = sdkClient(baseUrl, token, options);
      clients.push(client);
      return client;
    },
    closeAll() {
      for (const client of clients) client.close();
      for (const socket of sockets) socket.close();
    },
  };
}
