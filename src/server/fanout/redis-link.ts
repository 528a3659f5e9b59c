// The link between nodes (decision 017): Socket.IO's Redis pub/sub adapter carries every broadcast to the
// other nodes, and a heartbeat through the adapter's own subscriber says whether that path works. Redis
// carries nothing that must survive: PostgreSQL is the log, so a broadcast lost while the link is down is
// recovered, once the link is back, by the clients of this node reconnecting and catching up from their
// cursors — the path every network cut takes.
import { randomUUID } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';

export interface RedisLinkOptions {
  url: string;
  /** How often the heartbeat goes round; the link counts as down after three missed. */
  heartbeatMs?: number;
  /** Told of the link going down and coming back, and of broadcasts that could not be published. */
  log: {
    warn(details: object, message: string): void;
    info(details: object, message: string): void;
  };
  /** The link is back after being down: broadcasts of the meantime may be missing on this node. */
  onRecovered: () => void;
}

export interface RedisLink {
  /** For `io.adapter(...)`. */
  adapter: ReturnType<typeof createAdapter>;
  /** A client for shared state (rate limits); commands fail at once while Redis is unreachable. */
  client: Redis;
  /** Whether this node hears the other nodes now. */
  healthy(): boolean;
  close(): Promise<void>;
}

const DEFAULT_HEARTBEAT_MS = 1000;
const HEARTBEAT_CHANNEL = 'parley-heartbeat#';

export async function openRedisLink({
  url,
  heartbeatMs = DEFAULT_HEARTBEAT_MS,
  log,
  onRecovered,
}: RedisLinkOptions): Promise<RedisLink> {
  // No offline queue for what publishes: while Redis is away a broadcast fails at once instead of piling up
  // in memory (the clients catch up from the database), and a rate limit falls back to this node's count.
  const pub = new Redis(url, { enableOfflineQueue: false, lazyConnect: true, maxRetriesPerRequest: 1 });
  const sub = new Redis(url, { lazyConnect: true });
  const client = pub.duplicate();
  let lostBroadcasts = 0;
  const errorLogged = new Set<Redis>();
  for (const connection of [pub, sub, client]) {
    // ioredis reconnects by itself; an error is worth one line until the connection is ready again.
    connection.on('error', (error: Error) => {
      if (errorLogged.has(connection)) return;
      errorLogged.add(connection);
      log.warn({ err: error }, 'Redis connection failed; reconnecting');
    });
    connection.on('ready', () => errorLogged.delete(connection));
  }
  await Promise.all([pub.connect(), sub.connect(), client.connect()]);

  // The adapter publishes without waiting for the answer: a publish refused while Redis is away must not
  // end the process as an unhandled rejection. It is counted; the heartbeat notices the outage.
  const publish = pub.publish.bind(pub);
  pub.publish = ((channel: string | Buffer, message: string | Buffer) =>
    publish(channel, message).catch(() => {
      lostBroadcasts += 1;
      return 0;
    })) as typeof pub.publish;

  const adapter = createAdapter(pub, sub, { key: 'parley' });
  // The heartbeat goes through the adapter's own subscriber, whose silent loss is the failure to catch.
  const channel = `${HEARTBEAT_CHANNEL}${randomUUID()}`;
  let lastHeard = Date.now();
  let down = false;
  sub.on('messageBuffer', (heard: Buffer) => {
    if (heard.toString() !== channel) return;
    lastHeard = Date.now();
    if (!down) return;
    down = false;
    log.info({ lostBroadcasts }, 'the link to the other nodes is back: this node’s clients catch up');
    lostBroadcasts = 0;
    onRecovered();
  });
  await sub.subscribe(channel);
  let closing = false;
  const lose = (why: string) => {
    if (down || closing) return;
    down = true;
    log.warn({ why }, 'the link to the other nodes is down: their messages reach this node’s clients later');
  };
  // A subscriber that reconnects has missed what was published meanwhile, however short the gap: the link
  // is back only once a heartbeat is heard again, which also proves the subscriptions are restored.
  sub.on('close', () => lose('the Redis subscriber connection closed'));
  const beat = setInterval(() => {
    publish(channel, '1').catch(() => {});
    if (Date.now() - lastHeard > 3 * heartbeatMs) lose('no heartbeat through Redis');
  }, heartbeatMs);
  beat.unref();

  return {
    adapter,
    client,
    healthy: () => !down && sub.status === 'ready' && pub.status === 'ready',
    async close() {
      closing = true;
      clearInterval(beat);
      await Promise.allSettled([pub.quit(), sub.quit(), client.quit()]);
    },
  };
}
