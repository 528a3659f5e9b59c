// When a failed webhook delivery is tried again, and when Parley gives up on it.
import type { WebhookDeliveryStatus } from '../../../protocol/webhooks.ts';

/**
 * Waits after the 1st, 2nd, … failed attempt, in multiples of the base: with the default 5 s base,
 * 5 s, 30 s, 2 min, 10 min, 1 h, 3 h, 6 h — about ten hours for a receiver to come back.
 */
const BACKOFF_MULTIPLIERS = [1, 6, 24, 120, 720, 2160, 4320] as const;

export interface RetryPolicy {
  /** Attempts in all, the first included; after the last failure the delivery is `failed`. */
  maxAttempts: number;
  backoffBaseMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, backoffBaseMs: 5_000 };

/** The wait after `failedAttempts` failures; beyond the table the last step repeats. */
export function retryDelayMs(failedAttempts: number, backoffBaseMs: number): number {
  const index = Math.min(Math.max(failedAttempts, 1), BACKOFF_MULTIPLIERS.length) - 1;
  return (BACKOFF_MULTIPLIERS[index] ?? 1) * backoffBaseMs;
}

/** Where a delivery stands after its `attempts`-th attempt succeeded or failed. */
export function nextDeliveryState(
  attempts: number,
  succeeded: boolean,
  policy: RetryPolicy,
): { status: WebhookDeliveryStatus; retryInMs: number } {
  if (succeeded) return { status: 'delivered', retryInMs: 0 };
  if (attempts >= policy.maxAttempts) return { status: 'failed', retryInMs: 0 };
  return { status: 'pending', retryInMs: retryDelayMs(attempts, policy.backoffBaseMs) };
}
