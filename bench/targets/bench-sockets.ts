// The benchmark's clients: one socket.io-client socket per user, each ready only once the server has
// answered its `sync` (Parley answers once the socket is in its rooms: nothing sent after can miss it).
import { execFileSync } from 'node:child_process';
import { io, type Socket } from 'socket.io-client';
import { inParallel } from '../lib/in-parallel.ts';
import { OptionError } from '../lib/options.ts';

const CONNECT_CONCURRENCY = 50;
const CONNECT_TIMEOUT_MS = 30_000;
/** Descriptors besides the sockets: the server's listener, its database connections, files, pipes. */
const DESCRIPTOR_MARGIN = 200;

/** The soft limit on open files that this process and its children (the servers) started with. */
function openFileLimit(): number | null {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()) || null;
  } catch {
    return null;
  }
}

/** Refuses a run that would run out of file descriptors half-way, with what to do about it. */
export function checkDescriptors(sockets: number): void {
  const limit = openFileLimit();
  if (limit !== null && sockets + DESCRIPTOR_MARGIN > limit) {
    throw new OptionError(
      `${sockets} sockets need about ${sockets + DESCRIPTOR_MARGIN} open files in this process and in the ` +
        `server, but the limit is ${limit}: raise it first (ulimit -n ${sockets + 1000}) or use fewer sockets`,
    );
  }
}

function explain(error: Error & { data?: unknown; description?: unknown }): string {
  const detail = [error.message, JSON.stringify(error.data ?? error.description ?? '')].join(' ');
  return /EMFILE/.test(detail)
    ? `out of file descriptors (EMFILE): raise the limit (ulimit -n) or use fewer sockets: ${detail}`
    : detail;
}

async function connectOne(url: string, auth: object): Promise<Socket> {
  // forceNew: each socket its own connection, as each user's own browser would open; reconnection off: a
  // dropped socket must show as a failure, not be quietly replaced.
  const socket = io(url, {
    auth,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: CONNECT_TIMEOUT_MS,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', (error) => reject(new Error(`socket refused: ${explain(error)}`)));
    });
    const answer = (await socket.timeout(CONNECT_TIMEOUT_MS).emitWithAck('sync', { cursors: {} })) as {
      ok: boolean;
      error?: unknown;
    };
    if (!answer.ok) throw new Error(`sync refused: ${JSON.stringify(answer.error)}`);
    return socket;
  } catch (error) {
    socket.disconnect();
    throw error;
  }
}

/**
 * Connects a socket per handshake (in their order) to `urlOf(its index)`, a bounded number at a time; all of
 * them or an error.
 */
export async function connectSockets(
  urlOf: (user: number) => string,
  handshakes: readonly object[],
): Promise<Socket[]> {
  const connected: Socket[] = [];
  let failed = false;
  try {
    return await inParallel(handshakes, CONNECT_CONCURRENCY, async (auth, user) => {
      const socket = await connectOne(urlOf(user), auth);
      connected.push(socket);
      // Lanes still connecting when another failed: their sockets go too.
      if (failed) socket.disconnect();
      return socket;
    });
  } catch (error) {
    failed = true;
    closeSockets(connected);
    throw error;
  }
}

export function closeSockets(sockets: readonly Socket[]): void {
  for (const socket of sockets) socket.disconnect();
}
