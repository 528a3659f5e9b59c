// The opaque `cursor` of a search page: where the previous page ended, how the search ranks, and the instant
// it is as of, so later pages neither repeat nor skip a hit. Bound to the query and filters it came from.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ParleyError } from '../../../protocol/errors.ts';
import type { TimeKey } from '../../store/search.ts';

export type RankingStrategy = 'all' | 'recent';

const cursorSchema = z.strictObject({
  /** Fingerprint of the query and filters. */
  f: z.string(),
  /** The search's instant, in epoch milliseconds. */
  t: z.number().int(),
  s: z.enum(['all', 'recent']),
  /** The last hit's rank and message id: the next page starts below it. */
  after: z.tuple([z.number(), z.number().int()]).nullable(),
  /** For `recent`: where the window starts, as [created_at in microseconds, message id] (exclusive). */
  before: z.tuple([z.number().int(), z.number().int()]).nullable(),
});

export interface SearchCursor {
  asOf: Date;
  strategy: RankingStrategy;
  after: { rank: number; id: number } | null;
  before: TimeKey | null;
}

/** A short digest of what was searched: a cursor replayed against another query is refused, not misread. */
export function searchFingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeCursor(cursor: SearchCursor, fingerprint: string): string {
  const payload: z.infer<typeof cursorSchema> = {
    f: fingerprint,
    t: cursor.asOf.getTime(),
    s: cursor.strategy,
    after: cursor.after ? [cursor.after.rank, cursor.after.id] : null,
    before: cursor.before,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(text: string, fingerprint: string): SearchCursor {
  const invalid = () =>
    new ParleyError('invalid_payload', 'invalid request: cursor: not a cursor of this search', {
      issues: [{ path: 'cursor', message: 'not a cursor of this search' }],
    });
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success || parsed.data.f !== fingerprint) throw invalid();
  const { t, s, after, before } = parsed.data;
  return {
    asOf: new Date(t),
    strategy: s,
    after: after ? { rank: after[0], id: after[1] } : null,
    before,
  };
}
