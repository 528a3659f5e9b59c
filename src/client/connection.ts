// The client's one Socket.IO connection: a fresh token on every handshake, the reconnect policy for refused
// handshakes and server cuts, token refresh before expiry, and acknowledged requests whose refusals throw.
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../protocol/errors.ts';
import type { ClientToServerEvents, ConnectErrorData, ServerToClientEvents } from '../protocol/events.ts';
import type { EmitClientEvent } from './client-events.ts';
import { RefusalError } from './refusal.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The client events answered through an acknowledgement callback. */
export type AcknowledgedEvent =
  | 'sync'
  | 'messages:page'
  | 'conversation:read'
  | 'auth:refresh'
  | 'message:send'
  | 'message:edit'
  | 'message:delete'
  | 'reaction:add'
  | 'reaction:remove';
type Payload<E extends AcknowledgedEvent> = Parameters<ClientToServerEvents[E]>[0];
type Answer<E extends AcknowledgedEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
export type Accepted<E extends AcknowledgedEvent> = Extract<Answer<E>, { ok: true }>;

export interface ConnectionOptions {
  url: string;
  getToken: () => Promise<string>;
  transports: ('websocket' | 'polling')[];
  ackTimeoutMs: number;
  random: () => number;
  /** Node only: the http.Agent the socket connects through. */
  agent?: object | undefined;
}

export interface ConnectionHooks {
  /** The socket (re)connected: the client must resync before it counts as connected. */
  connected(): void;
  /** The socket dropped; `generation` has already moved on. */
  disconnected(): void;
}

export const RECONNECT_AFTER_REFUSAL_MS = 2000;
/** A refusal for too many open connections lasts until the user closes some: no point retrying soon. */
const RECONNECT_AFTER_TOO_MANY_CONNECTIONS_MS = 60_000;
/** How often a request refused as `rate_limited` is tried again, each after the wait the server named. */
const RATE_LIMITED_RETRIES = 3;

export class Connection {
  readonly socket: ClientSocket;
  /** Counts connections: acknowledgements from an earlier one no longer hold their message in flight. */
  generation = 0;
  private closed = false;
  /** Handshakes refused as `too_many_connections` in a row: one more try after a long pause, then none. */
  private tooManyRefusals = 0;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
    private readonly emit: EmitClientEvent,
  ) {
    this.socket = io(options.url, {
      autoConnect: false,
      transports: options.transports,
      // Typed for browsers, where it means nothing; Node's WebSocket and polling both take an http.Agent.
      ...(options.agent ? { agent: options.agent as unknown as string } : {}),
      // A fresh token on every (re)connect: the one from the last connection may have expired meanwhile.
      auth: (callback) => {
        options.getToken().then(
          (token) => callback({ token }),
          (error: Error) => {
            this.emit('error', error);
            callback({});
          },
        );
      },
    });
    this.listen();
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The status while the client is not (yet) synced on a live socket. */
  get waitingStatus(): 'connecting' | 'offline' {
    return this.closed || this.tooManyRefusals > 0 ? 'offline' : 'connecting';
  }

  connect(): void {
    this.closed = false;
    this.tooManyRefusals = 0;
    this.emit('status', 'connecting');
    this.socket.connect();
  }

  close(): void {
    this.closed = true;
    this.socket.disconnect();
  }

  /** Drops the connection and makes a fresh one soon: for a state the client cannot continue from. */
  restart(): void {
    this.socket.disconnect();
    this.reconnectLater(RECONNECT_AFTER_REFUSAL_MS);
  }

  /** One acknowledged emit; the answer may be a refusal. Rejects when no answer comes in time. */
  ask<E extends AcknowledgedEvent>(event: E, payload: Payload<E>): Promise<Answer<E>> {
    const timed = this.socket.timeout(this.options.ackTimeoutMs);
    const emit = timed.emitWithAck.bind(timed) as (event: E, payload: unknown) => Promise<Answer<E>>;
    return emit(event, payload);
  }

  /**
   * An acknowledged request; a refusal is thrown as a RefusalError. Over the user's event budget, it waits
   * as long as the server says and asks again, a few times.
   */
  async request<E extends AcknowledgedEvent>(event: E, payload: Payload<E>): Promise<Accepted<E>> {
    for (let retries = 0; ; retries++) {
      const result = (await this.ask(event, payload)) as Ack<object>;
      if (result.ok) return result as Accepted<E>;
      const { code, retryAfterMs } = result.error;
      if (code !== 'rate_limited' || retries >= RATE_LIMITED_RETRIES || this.closed)
        throw new RefusalError(result.error);
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs ?? RECONNECT_AFTER_REFUSAL_MS));
    }
  }

  private listen(): void {
    this.socket.on('connect', () => {
      this.tooManyRefusals = 0;
      this.hooks.connected();
    });
    this.socket.on('disconnect', (reason) => {
      this.generation += 1;
      this.hooks.disconnected();
      this.emit('status', this.closed ? 'offline' : 'connecting');
      // The server cut us (token expiry, shutdown): Socket.IO leaves reconnecting to us.
      if (reason === 'io server disconnect' && !this.closed) this.reconnectLater(RECONNECT_AFTER_REFUSAL_MS);
    });
    this.socket.on('connect_error', (error: Error & { data?: ConnectErrorData }) => {
      this.emit('error', error.data ?? error);
      // A refused handshake is not retried by Socket.IO; transport errors are.
      if (!error.data || this.socket.active) return;
      if (error.data.code !== 'too_many_connections') {
        this.reconnectLater(error.data.retryAfterMs ?? RECONNECT_AFTER_REFUSAL_MS);
        return;
      }
      // Retrying soon cannot succeed, and every try of every tab would count against the same cap.
      this.tooManyRefusals += 1;
      this.emit('status', 'offline');
      if (this.tooManyRefusals === 1) this.reconnectLater(RECONNECT_AFTER_TOO_MANY_CONNECTIONS_MS);
    });
    this.socket.on('auth:expiring', () => void this.refreshToken());
  }

  private reconnectLater(delayMs: number): void {
    setTimeout(
      () => {
        if (!this.closed && !this.socket.connected) this.socket.connect();
      },
      delayMs + Math.round(this.options.random() * delayMs),
    );
  }

  private async refreshToken(): Promise<void> {
    try {
      await this.request('auth:refresh', { token: await this.options.getToken() });
    } catch (error) {
      // The server disconnects at expiry and the next handshake fetches a token again.
      this.emit('error', error as Error);
    }
  }
}
