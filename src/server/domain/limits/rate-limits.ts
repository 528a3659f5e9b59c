// Rate limits on events, sends, connections and writes: counted in this process on one node, in Redis when
// several nodes share the load (a user's budget is the same whichever node their sockets reach). Should
// Redis be unreachable, each node counts on its own until it is back. Over the limit: `rate_limited` with
// when to retry.
import type { Redis } from 'ioredis';
import {
  BurstyRateLimiter,
  type IRateLimiterOptions,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { ParleyError } from '../../../protocol/errors.ts';

export const limitedActions = [
  'event',
  'send',
  'connect',
  'write',
  'broadcast',
  'test-notification',
] as const;
export type LimitedAction = (typeof limitedActions)[number];

export interface RateLimits {
  /** Counts `points` (one unless told) of `action` for `key` (a user id or an IP address), or throws `rate_limited`. */
  consume(action: LimitedAction, key: string, points?: number): Promise<void>;
}

/**
 * What a search or a dossier export costs of the event budget: each ranks or gathers rows over many
 * conversations or a whole history, the work of many cheap reads (and a widget searches as the user types).
 */
export const COSTLY_READ_POINTS = 5;

export interface RateLimitSettings {
  /**
   * Points per user per 10 s over every socket event and every REST request: one budget, so that no kind of
   * request, nor one added later, is free. Sends and writes also count against their own stricter limits.
   */
  eventsPer10s: number;
  /** Messages per user per 10 s, plus the same again as a burst allowance per minute. */
  sendsPer10s: number;
  /** Socket connections per client IP per 10 s. */
  connectsPer10s: number;
  /** REST writes per user per minute. */
  writesPerMinute: number;
  /** Mentions of everyone (`@channel`, `@here`) per user per hour: each can notify a whole channel. */
  broadcastsPerHour: number;
}

const describe: Record<LimitedAction, string> = {
  event: 'too many requests',
  send: 'too many messages',
  connect: 'too many connections',
  write: 'too many requests',
  broadcast: 'too many mentions of everyone',
  'test-notification': 'too many test notifications',
};

/** Test notifications a user may ask for per hour: each sends a real email or push. */
const TEST_NOTIFICATIONS_PER_HOUR = 10;

/** Where the counts live: this process, or a Redis all nodes share (with this process as the fallback). */
function limiterIn(shared: Redis | null) {
  return (options: IRateLimiterOptions & { keyPrefix: string }): RateLimiterAbstract => {
    const local = new RateLimiterMemory(options);
    if (!shared) return local;
    return new RateLimiterRedis({
      ...options,
      keyPrefix: `parley-limit:${options.keyPrefix}`,
      storeClient: shared,
      insuranceLimiter: local,
    });
  };
}

/**
 * `shared`: the Redis the nodes share, or null for one node. `onRefused` hears of every refusal, by limit
 * (metrics).
 */
export function createRateLimits(
  settings: RateLimitSettings,
  onRefused: (action: LimitedAction) => void = () => {},
  shared: Redis | null = null,
): RateLimits {
  const limiter = limiterIn(shared);
  const limiters: Record<LimitedAction, RateLimiterAbstract | BurstyRateLimiter> = {
    event: limiter({ keyPrefix: 'event', points: settings.eventsPer10s, duration: 10 }),
    // A steady allowance with a burst bucket on top: a user pasting a few lines in a row is not cut off.
    send: new BurstyRateLimiter(
      limiter({ keyPrefix: 'send', points: settings.sendsPer10s, duration: 10 }),
      limiter({ keyPrefix: 'send-burst', points: settings.sendsPer10s, duration: 60 }),
    ),
    connect: limiter({ keyPrefix: 'connect', points: settings.connectsPer10s, duration: 10 }),
    write: limiter({ keyPrefix: 'write', points: settings.writesPerMinute, duration: 60 }),
    broadcast: limiter({ keyPrefix: 'broadcast', points: settings.broadcastsPerHour, duration: 3600 }),
    'test-notification': limiter({
      keyPrefix: 'test-notification',
      points: TEST_NOTIFICATIONS_PER_HOUR,
      duration: 3600,
    }),
  };
  return {
    async consume(action, key, points = 1) {
      try {
        await limiters[action].consume(key, points);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        onRefused(action);
        const retryAfterMs = Math.max(1, Math.ceil(rejection.msBeforeNext));
        throw new ParleyError(
          'rate_limited',
          `${describe[action]}; retry in ${Math.ceil(retryAfterMs / 1000)} s`,
          { retryAfterMs },
        );
      }
    },
  };
}
