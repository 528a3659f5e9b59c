// Who may open a socket: a handshake rate per client address, a valid token, and room under the caps on
// sockets open at once per user and per address. A refusal reaches the client as `connect_error` whose
// `data` carries the code (ConnectErrorData), so that the SDK knows whether and when to try again.
import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Socket } from 'socket.io';
import { ParleyError } from '../../../protocol/errors.ts';
import type {
  ClientToServerEvents,
  ConnectErrorData,
  ServerToClientEvents,
} from '../../../protocol/events.ts';
import type { User } from '../../../protocol/models.ts';
import type { Identity } from '../../domain/identity/identity.ts';
import type { ConnectionCaps } from '../../domain/limits/connection-caps.ts';
import type { RateLimits } from '../../domain/limits/rate-limits.ts';
import type { ParleySocketServer } from '../../fanout/socket-io-fanout.ts';

/** What an admitted socket carries: its user and when its token expires. */
export interface SocketData {
  user: User;
  expiresAt: Date;
}

export type ParleySocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

export interface HandshakeDeps {
  identity: Identity;
  rateLimits: RateLimits;
  connectionCaps: ConnectionCaps;
  /** The client's address, believing X-Forwarded-For only from trusted proxies. */
  clientAddress: (request: IncomingMessage) => string;
  log: FastifyBaseLogger;
}

const toldCodes: readonly ParleyError['code'][] = [
  'unauthorized',
  'rate_limited',
  'unavailable',
  'too_many_connections',
] satisfies ConnectErrorData['code'][];

/** Any other failure is an authentication failure to the client: it learns nothing of our insides. */
function refusal(error: unknown): Error & { data: ConnectErrorData } {
  const told = error instanceof ParleyError && toldCodes.includes(error.code);
  const code = told ? (error.code as ConnectErrorData['code']) : 'unauthorized';
  const refused = new Error(told ? error.message : 'authentication failed') as Error & {
    data: ConnectErrorData;
  };
  refused.data = { code, message: refused.message, ...(error instanceof ParleyError ? error.details : {}) };
  return refused;
}

export function admitHandshakes(io: ParleySocketServer, deps: HandshakeDeps): void {
  const { identity, rateLimits, connectionCaps, log } = deps;
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    const address = deps.clientAddress(socket.request);
    rateLimits
      .consume('connect', address)
      .then(() => identity.authenticate(typeof token === 'string' ? token : undefined))
      .then((session) => {
        // A client gone during authentication never becomes a socket, and Socket.IO tells no one: counting
        // it would hold its place under the caps for good.
        if (socket.conn.readyState !== 'open') return next(new Error('the client went away'));
        const release = connectionCaps.admit(session.user.id, address);
        // Whichever comes first; a socket that passed here but is dropped before connecting sees only the close.
        socket.once('disconnect', release);
        socket.conn.once('close', release);
        Object.assign((socket as ParleySocket).data, session);
        next();
      })
      .catch((error: unknown) => {
        if (!(error instanceof ParleyError)) {
          log.error({ err: error, socketId: socket.id }, 'socket authentication failed');
        }
        next(refusal(error));
      });
  });
}
