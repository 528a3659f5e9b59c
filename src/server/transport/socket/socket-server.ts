// Socket.IO on the HTTP server: admits allowed origins and handshakes (handshake.ts), subscribes each socket
// to its user's and conversations' rooms, keeps its token fresh, counts every event against its user's
// budget, and turns client events into domain calls answered through the ack.
import type { Server as HttpServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import { Server } from 'socket.io';
import type { z } from 'zod';
import { type Ack, type ErrorBody, ParleyError } from '../../../protocol/errors.ts';
import {
  type ClientToServerEvents,
  type ServerToClientEvents,
  socketMarkReadSchema,
  socketMessagePageSchema,
  socketPresenceSchema,
  socketRefreshTokenSchema,
  socketSendMessageSchema,
  socketTypingSchema,
  syncRequestSchema,
} from '../../../protocol/events.ts';
import {
  socketDeleteMessageSchema,
  socketEditMessageSchema,
  socketReactionSchema,
} from '../../../protocol/message-actions.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { Conversations } from '../../domain/conversations/conversations.ts';
import type { Session } from '../../domain/identity/identity.ts';
import { createKeyedSerializer } from '../../domain/messages/keyed-serializer.ts';
import type { Messages } from '../../domain/messages/messages.ts';
import type { Presence } from '../../domain/presence/presence.ts';
import type { ReadState } from '../../domain/read-state/read-state.ts';
import type { Sync } from '../../domain/sync/sync.ts';
import type { Typing } from '../../domain/typing/typing.ts';
import { conversationRoom, userRoom } from '../../fanout/fanout.ts';
import type { ParleySocketServer } from '../../fanout/socket-io-fanout.ts';
import type { OriginCheck } from '../origins.ts';
import { admitHandshakes, type HandshakeDeps, type ParleySocket, type SocketData } from './handshake.ts';
import { createSessionTimer, type SessionTimer } from './session-timer.ts';

export interface SocketServerOptions {
  /** The largest frame a client may send; larger ones close its connection. */
  maxFrameBytes: number;
  originAllowed: OriginCheck;
}

export interface SocketServerDeps extends HandshakeDeps {
  conversations: Conversations;
  messages: Messages;
  readState: ReadState;
  presence: Presence;
  sync: Sync;
  typing: Typing;
  metrics: { sendAcknowledged(seconds: number): void };
}

export function createSocketServer(httpServer: HttpServer, options: SocketServerOptions): ParleySocketServer {
  return new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(
    httpServer,
    {
      serveClient: true,
      maxHttpBufferSize: options.maxFrameBytes,
      // Long-polling answers carry CORS headers for the allowed dashboards, or their pages cannot read them.
      cors: { origin: (origin, callback) => callback(null, options.originAllowed(origin, undefined)) },
      // Checked on the handshake, which every later request needs: a foreign page cannot open a socket.
      allowRequest: (request, callback) =>
        callback(null, options.originAllowed(request.headers.origin, request.headers.host)),
    },
  );
}

/** The ack body for a failure: a ParleyError as it is, anything else logged and reported as `internal`. */
function failureBody(error: unknown, log: FastifyBaseLogger, context: object): ErrorBody {
  if (error instanceof ParleyError) return error.toBody();
  log.error({ err: error, ...context }, 'socket event failed');
  return { code: 'internal', message: 'internal error' };
}

export function attachSocketHandlers(io: ParleySocketServer, deps: SocketServerDeps): void {
  const { identity, conversations, messages, readState, presence, sync, typing, rateLimits, log, metrics } =
    deps;
  const timers = new WeakMap<ParleySocket, SessionTimer>();
  admitHandshakes(io, deps);

  // Each socket's presence changes apply in the order they happened: a tab that closes or goes idle
  // right after connecting must not be overtaken by its own "connected".
  const inPresenceOrder = createKeyedSerializer();
  const updatePresence = (socket: ParleySocket, change: () => Promise<void>) =>
    inPresenceOrder(socket.id, change).catch((error: unknown) =>
      logOf(socket).error({ err: error }, 'presence update failed'),
    );
  // Each connection's lines name it and its user, so that one socket's story can be followed in the log.
  const socketLogs = new WeakMap<ParleySocket, FastifyBaseLogger>();
  const logOf = (socket: ParleySocket) => socketLogs.get(socket) ?? log;

  io.on('connection', (socket: ParleySocket) => {
    socketLogs.set(socket, log.child({ socketId: socket.id, userId: socket.data.user.id }));
    void updatePresence(socket, () => presence.connected(socket.id, socket.data.user.id));
    // Handlers go on before the first await: events arriving meanwhile would otherwise be dropped.
    const subscription = subscribe(socket);
    spendEventBudget(socket);
    registerHandlers(socket, subscription);
    watchSession(socket);
  });

  function registerHandlers(socket: ParleySocket, subscription: Promise<boolean>): void {
    handle(socket, 'message:send', socketSendMessageSchema, async (payload) => {
      const receivedAt = performance.now();
      const message = await messages.send(socket.data.user, payload, socket.id);
      metrics.sendAcknowledged((performance.now() - receivedAt) / 1000);
      return { message };
    });
    handle(socket, 'message:edit', socketEditMessageSchema, async ({ messageId, ...edit }) =>
      messages.edit(socket.data.user, messageId, edit, socket.id),
    );
    handle(socket, 'message:delete', socketDeleteMessageSchema, async ({ messageId }) =>
      messages.delete(socket.data.user, messageId, socket.id),
    );
    handle(socket, 'reaction:add', socketReactionSchema, async ({ messageId, emoji }) =>
      messages.react(socket.data.user, messageId, emoji, socket.id),
    );
    handle(socket, 'reaction:remove', socketReactionSchema, async ({ messageId, emoji }) =>
      messages.unreact(socket.data.user, messageId, emoji, socket.id),
    );
    handle(socket, 'conversation:read', socketMarkReadSchema, async ({ conversationId, seq }) => ({
      lastReadSeq: await readState.markRead(socket.data.user, conversationId, seq),
    }));
    handle(socket, 'messages:page', socketMessagePageSchema, async ({ conversationId, ...page }) =>
      messages.page(socket.data.user, conversationId, page),
    );
    // Subscribe before fetch: a sync is answered only once this socket is in its rooms, so a message
    // committed meanwhile is in the answer or delivered live (or both: clients de-duplicate by seq).
    handle(socket, 'sync', syncRequestSchema, async (request) => {
      if (!(await subscription))
        throw new ParleyError('unavailable', 'this connection could not subscribe; reconnect');
      return sync.sync(socket.data.user, request);
    });
    handle(socket, 'auth:refresh', socketRefreshTokenSchema, async ({ token }) =>
      refreshSession(socket, token),
    );
    const signal = { ackRequired: false };
    handle(
      socket,
      'presence:set',
      socketPresenceSchema,
      async ({ status }) => {
        await updatePresence(socket, () => presence.setStatus(socket.id, socket.data.user.id, status));
        return {};
      },
      signal,
    );
    handle(
      socket,
      'typing',
      socketTypingSchema,
      async ({ conversationId, typing: isTyping }) => {
        typing.signal(socket.id, socket.data.user, conversationId, isTyping);
        return {};
      },
      signal,
    );
  }

  /**
   * Counts every packet the socket sends against its user's budget before any handler sees it, so that an
   * event added later, or one nobody handles, is never free. A refused event is answered through its ack
   * when it has one (signals such as typing have none) and goes no further.
   */
  function spendEventBudget(socket: ParleySocket): void {
    socket.use((packet, next) => {
      rateLimits.consume('event', socket.data.user.id).then(
        () => next(),
        (error: unknown) => {
          const ack = packet.at(-1);
          const body = failureBody(error, logOf(socket), { event: packet[0] });
          if (typeof ack === 'function') (ack as (result: Ack<object>) => void)({ ok: false, error: body });
        },
      );
    });
  }

  /** Disconnects the socket when its token expires, after warning it to refresh. */
  function watchSession(socket: ParleySocket): void {
    const timer = createSessionTimer({
      warn: (expiresAt) => socket.emit('auth:expiring', { expiresAt: expiresAt.toISOString() }),
      expire: () => socket.disconnect(true),
    });
    timers.set(socket, timer);
    timer.schedule(socket.data.expiresAt);
    socket.on('disconnect', () => {
      timer.cancel();
      void updatePresence(socket, () => presence.disconnected(socket.id));
    });
  }

  /** Joins the socket to its user's room and its conversations' rooms; false (and disconnected) on failure. */
  async function subscribe(socket: ParleySocket): Promise<boolean> {
    const { user } = socket.data;
    // The user room first: a conversation created from now on reaches this socket through it, and one
    // created before is in the list read next. Either way the socket ends up in every room it needs.
    socket.join(userRoom(user.id));
    try {
      const joined = (await conversations.idsOf(user)).map(conversationRoom);
      socket.join(joined);
      // A removal that committed between the read and the join left this socket in a room it lost: read
      // again and leave those. A removal after this read reaches the socket through its user room.
      const current = new Set((await conversations.idsOf(user)).map(conversationRoom));
      for (const room of joined) if (!current.has(room)) socket.leave(room);
    } catch (error) {
      logOf(socket).error({ err: error }, 'cannot subscribe socket to its conversations');
      socket.disconnect(true);
      return false;
    }
    return true;
  }

  /** Replaces the connection's token; a token for someone else is refused and the connection kept as it was. */
  async function refreshSession(socket: ParleySocket, token: string): Promise<{ expiresAt: string }> {
    let session: Session;
    try {
      session = await identity.authenticate(token);
    } catch (error) {
      if (error instanceof ParleyError) throw error;
      throw new ParleyError('unauthorized', 'token refresh failed');
    }
    if (session.user.id !== socket.data.user.id)
      throw new ParleyError('forbidden', 'the token is for another user');
    Object.assign(socket.data, session);
    timers.get(socket)?.schedule(session.expiresAt);
    return { expiresAt: session.expiresAt.toISOString() };
  }

  /**
   * Validates one event's payload, runs it, and answers through the ack with the result or the error.
   * Events that change something need an ack (a client must know whether it happened); fire-and-forget
   * signals such as typing do not.
   */
  function handle<S extends z.ZodType, R extends object>(
    socket: ParleySocket,
    event: keyof ClientToServerEvents,
    schema: S,
    run: (payload: z.infer<S>) => Promise<R>,
    { ackRequired } = { ackRequired: true },
  ): void {
    socket.on(event, async (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function' && ackRequired) {
        logOf(socket).debug({ event }, 'event without an ack callback ignored');
        return;
      }
      const reply = typeof ack === 'function' ? (ack as (result: Ack<R>) => void) : () => {};
      try {
        reply({ ok: true, ...(await run(parseInput(schema, payload))) });
      } catch (error) {
        reply({ ok: false, error: failureBody(error, logOf(socket), { event }) });
      }
    });
  }
}
