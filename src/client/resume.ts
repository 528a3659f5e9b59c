// Resuming in as many `sync` requests as the cursors need: one request carries at most SYNC_MAX_CURSORS, and a
// user may hold thousands of conversations. The answers merge into the one answer a single request would give.
import type { SyncResponse } from '../protocol/events.ts';
import { SYNC_MAX_CURSORS } from '../protocol/sync-limits.ts';

/** The cursors in requests of at most `max`; always at least one request, which an empty one still is. */
export function splitCursors(
  cursors: Readonly<Record<string, number>>,
  max = SYNC_MAX_CURSORS,
): Record<string, number>[] {
  const entries = Object.entries(cursors);
  const parts: Record<string, number>[] = [];
  for (let start = 0; start < entries.length || parts.length === 0; start += max) {
    parts.push(Object.fromEntries(entries.slice(start, start + max)));
  }
  return parts;
}

/**
 * Every answer lists the whole conversation list, presence and profile as they were when it was made: the
 * last one is the freshest. Catch-ups and removals answer only that request's cursors: all of them count.
 * A conversation left between two requests is in no later list; what an earlier answer caught up of it is
 * dropped with it.
 */
export function mergeSyncAnswers(answers: readonly SyncResponse[]): SyncResponse {
  const last = answers.at(-1);
  if (!last) throw new Error('no sync answer to merge');
  const current = new Set(last.conversations.map((conversation) => conversation.id));
  return {
    me: last.me,
    conversations: last.conversations,
    presence: last.presence,
    catchUp: answers.flatMap((answer) => answer.catchUp).filter((c) => current.has(c.conversationId)),
    removed: [
      ...new Set([
        ...answers.flatMap((answer) => answer.removed),
        ...answers.flatMap((answer) => answer.conversations.map((conversation) => conversation.id)),
      ]),
    ].filter((id) => !current.has(id)),
  };
}
