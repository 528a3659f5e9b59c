// Socket.IO on the HTTP server: authenticates the handshake, subscribes each socket to its user's and
// conversations' rooms, and turns client events into domain calls answered through the ack.
import type { Server as HttpServer } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import { type Ack, ParleyError } from '../../../protocol/errors.ts';
import {
  type ClientToServerEvents,
  type ConnectErrorData,
  type ServerToClientEvents,
  socketMarkReadSchema,
  socketSendMessageSchema,
} from '../../../protocol/events.ts';
import type { User } from '../../../protocol/models.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { Conversations } from '../../domain/conversations/conversations.ts';
import type { Identity } from '../../domain/identity/identity.ts';
import type { Messages } from '../../domain/messages/messages.ts';
import { conversationRoom, userRoom } from '../../fanout/fanout.ts';
import type { ParleySocketServer } from '../../fanout/socket-io-fanout.ts';

interface SocketData {
  user: User;
}

type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketServerDeps {
  identity: Identity;
  conversations: Conversations;
  messages: Messages;
  log: FastifyBaseLogger;
}

export function createSocketServer(httpServer: HttpServer, maxPayloadBytes: number): ParleySocketServer {
  return new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(
    httpServer,
    {
      serveClient: true,
      maxHttpBufferSize: maxPayloadBytes,
    },
  );
}

export function attachSocketHandlers(io: ParleySocketServer, deps: SocketServerDeps): void {
  const { identity, conversations, messages, log } = deps;

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    identity
      .authenticate(typeof token === 'string' ? token : undefined)
      .then((user) => {
        (socket as ParleySocket).data.user = user;
        next();
      })
      .catch((error: unknown) => {
        const refusal = new Error(
          error instanceof ParleyError ? error.message : 'authentication failed',
        ) as Error & {
          data: ConnectErrorData;
        };
        refusal.data = { code: 'unauthorized', message: refusal.message };
        if (!(error instanceof ParleyError)) log.error({ err: error }, 'socket authentication failed');
        next(refusal);
      });
  });

  io.on('connection', async (socket: ParleySocket) => {
    const { user } = socket.data;
    // Handlers go on before the first await: events arriving meanwhile would otherwise be dropped.
    handle(socket, 'message:send', socketSendMessageSchema, async (payload) => ({
      message: await messages.send(user, payload),
    }));
    handle(socket, 'conversation:read', socketMarkReadSchema, async ({ conversationId, seq }) => ({
      lastReadSeq: await conversations.markRead(user, conversationId, seq),
    }));
    // The user room first: a conversation created from now on reaches this socket through it, and one
    // created before is in the list read next. Either way the socket ends up in every room it needs.
    socket.join(userRoom(user.id));
    try {
      socket.join((await conversations.idsOf(user)).map(conversationRoom));
    } catch (error) {
      log.error({ err: error, userId: user.id }, 'cannot subscribe socket to its conversations');
      socket.disconnect(true);
    }
  });

  /** Validates one event's payload, runs it, and answers through the ack with the result or the error. */
  function handle<S extends z.ZodType, R extends object>(
    socket: ParleySocket,
    event: keyof ClientToServerEvents,
    schema: S,
    run: (payload: z.infer<S>) => Promise<R>,
  ): void {
    socket.on(event, async (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') {
        log.debug({ event }, 'event without an ack callback ignored');
        return;
      }
      const reply = ack as (result: Ack<R>) => void;
      try {
        reply({ ok: true, ...(await run(parseInput(schema, payload))) });
      } catch (error) {
        if (error instanceof ParleyError) return reply({ ok: false, error: error.toBody() });
        log.error({ err: error, event, userId: socket.data.user.id }, 'socket event failed');
        reply({ ok: false, error: { code: 'internal', message: 'internal error' } });
      }
    });
  }
}
