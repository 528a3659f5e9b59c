// A started target with its cast made and one connected, synced socket per user: ready to send.
import type { Socket } from 'socket.io-client';
import { onCleanup } from '../lib/cleanup.ts';
import { closeSockets, connectSockets } from './bench-sockets.ts';
import type { Layout } from './layout.ts';
import type { Cast, Target } from './target.ts';

export interface Ready<C extends Cast> {
  cast: C;
  sockets: Socket[];
}

/** The sockets close on cleanup, before the server they are connected to stops. */
export async function castAndConnect<C extends Cast>(
  target: Pick<Target, 'server' | 'nodes'> & { cast: (layout: Layout) => Promise<C> },
  layout: Layout,
): Promise<Ready<C>> {
  const cast = await target.cast(layout);
  const sockets = await connectSockets(
    (user) => target.nodes[user % target.nodes.length]!.url,
    cast.handshakes,
  );
  onCleanup(`close the sockets of ${target.server.name}`, () => closeSockets(sockets));
  return { cast, sockets };
}
