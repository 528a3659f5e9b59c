// A cuttable TCP proxy on 127.0.0.1 that simulates a network drop between a client and a server: `cut()`
// resets every open connection and every new one until `restore()`.
import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** http://127.0.0.1:PORT, for HTTP and Socket.IO clients. */
  readonly url: string;
  /** Client connections currently open through the proxy. */
  readonly connectionCount: number;
  /** Resets all current connections and closes new ones as soon as they arrive. */
  cut(): void;
  /** Forwards new connections again. */
  restore(): void;
  /** Resets all connections and stops listening. */
  close(): Promise<void>;
}

// RST rather than FIN: an abrupt drop, as a dead link or a crashed peer looks to the other side.
function drop(socket: Socket): void {
  if (!socket.destroyed) socket.resetAndDestroy();
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let isCut = false;

  const server = createServer((client) => {
    if (isCut) {
      drop(client);
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    // Resets (ECONNRESET, EPIPE; ECONNREFUSED when the target is down) are what this proxy exists to cause
    // or pass on: they reset the other side too, instead of crashing the test process as unhandled errors.
    client.on('error', () => drop(upstream));
    upstream.on('error', () => drop(client));
    // A clean close travels through the pipes as FIN; once the client is gone nothing can reach it anyway.
    client.once('close', () => {
      pairs.delete(pair);
      upstream.destroy();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });

  const dropAll = () => {
    for (const [client, upstream] of pairs) {
      drop(client);
      drop(upstream);
    }
    pairs.clear();
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error(`unexpected proxy address ${String(address)}`);
  const port = address.port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get connectionCount() {
      return pairs.size;
    },
    cut: () => {
      isCut = true;
      dropAll();
    },
    restore: () => {
      isCut = false;
    },
    close: () =>
      new Promise((resolve, reject) => {
        dropAll();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
