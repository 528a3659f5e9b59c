// Rate limits on events, sends, connections and writes, behind an interface a shared store (Redis) can
// implement when Parley runs on several nodes. Over the limit: `rate_limited` with when to retry.
import {
  BurstyRateLimiter,
  type RateLimiterAbstract,
  RateLimiterMemory,
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

/** `onRefused` hears of every refusal, by limit (metrics). */
export function memoryRateLimits(
  settings: RateLimitSettings,
  onRefused: (action: LimitedAction) => void = () => {},
): RateLimits {
  const limiters: Record<LimitedAction, RateLimiterAbstract | BurstyRateLimiter> = {
    event: new RateLimiterMemory({ keyPrefix: 'event', points: settings.eventsPer10s, duration: 10 }),
    // A steady allowance with a burst bucket on top: a user pasting a few lines in a row is not cut off.
    send: new BurstyRateLimiter(
      new RateLimiterMemory({ keyPrefix: 'send', points: settings.sendsPer10s, duration: 10 }),
      new RateLimiterMemory({ keyPrefix: 'send-burst', points: settings.sendsPer10s, duration: 60 }),
    ),
    connect: new RateLimiterMemory({ keyPrefix: 'connect', points: settings.connectsPer10s, duration: 10 }),
    write: new RateLimiterMemory({ keyPrefix: 'write', points: settings.writesPerMinute, duration: 60 }),
    broadcast: new RateLimiterMemory({
      keyPrefix: 'broadcast',
      points: settings.broadcastsPerHour,
      duration: 3600,
    }),
    'test-notification': new RateLimiterMemory({
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
