// Clients as a host app or a browser would be: tokens signed like the host's, HTTP calls and sockets.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/protocol/events.ts';
import type { Role } from '../../src/protocol/models.ts';
import { signHostToken } from '../../src/server/demo/tokens.ts';
import { TEST_JWT_SECRET } from './server.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestUser {
  id: string;
  token: string;
}

/** How long before a test's first token of a user it was signed, so that any token signed later is newer. */
export const FIRST_TOKEN_AGE_SECONDS = 60;
export const firstTokenIssuedAt = () => Math.floor(Date.now() / 1000) - FIRST_TOKEN_AGE_SECONDS;

/** A user unique to the calling test, so tests sharing a server never see each other's data. */
export async function newUser(
  label: string,
  claims: { orgId?: string; role?: Role; ttlSeconds?: number } = {},
): Promise<TestUser> {
  const id = `${label}-${randomUUID().slice(0, 8)}`;
  const token = await signHostToken(
    TEST_JWT_SECRET,
    {
      id,
      displayName: label,
      email: `${id}@example.test`,
      orgId: claims.orgId ?? 'acme',
      orgKind: 'internal',
      role: claims.role ?? 'member',
    },
    // Issued a minute early, valid for the lifetime asked for from now.
    (claims.ttlSeconds ?? 3600) + FIRST_TOKEN_AGE_SECONDS,
    { issuedAt: firstTokenIssuedAt() },
  );
  return { id, token };
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

export async function api<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  return { status: response.status, body: (await response.json()) as T };
}

export interface SocketOptions {
  transports?: ('websocket' | 'polling')[];
  extraHeaders?: Record<string, string>;
}

/**
 * A socket with its listeners attached before the handshake, so that nothing the server sends right after
 * connecting (such as `auth:expiring`) is missed. `connected` rejects with the connect_error.
 */
export function openSocket(baseUrl: string, token: string | undefined, options: SocketOptions = {}) {
  const socket: ClientSocket = io(baseUrl, {
    auth: token === undefined ? {} : { token },
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
  });
  const connected = new Promise<ClientSocket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
  return { socket, connected };
}

/** A connected socket, or the connect_error that refused it. */
export function connect(
  baseUrl: string,
  token: string | undefined,
  transports: ('websocket' | 'polling')[] = ['websocket'],
): Promise<ClientSocket> {
  return openSocket(baseUrl, token, { transports }).connected;
}

export function sendOnSocket(
  socket: ClientSocket,
  payload: { conversationId: string; clientMsgId?: string; body: string },
) {
  return socket.emitWithAck('message:send', { clientMsgId: randomUUID(), ...payload });
}
