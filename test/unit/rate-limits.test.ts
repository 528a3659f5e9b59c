// Every refusal by a rate limit is reported with the limit's name, for the metrics that count them.
import { describe, expect, it } from 'vitest';
import { createRateLimits } from '../../src/server/domain/limits/rate-limits.ts';

describe('rate-limit refusals', () => {
  it('are reported by the limit that refused', async () => {
    const refused: string[] = [];
    const limits = createRateLimits(
      { eventsPer10s: 100, sendsPer10s: 100, connectsPer10s: 100, writesPerMinute: 1, broadcastsPerHour: 1 },
      (action) => refused.push(action),
    );
    await limits.consume('write', 'ana');
    await expect(limits.consume('write', 'ana')).rejects.toMatchObject({ code: 'rate_limited' });
    await limits.consume('write', 'ben');
    expect(refused).toEqual(['write']);
  });
});
