// A resume in several sync requests: how the cursors are split and how the answers merge into what one
// request would have answered.
import { describe, expect, it } from 'vitest';
import { mergeSyncAnswers, splitCursors } from '../../src/client/resume.ts';
import type { ConversationCatchUp, SyncResponse } from '../../src/protocol/events.ts';
import type { Conversation, User, UserPresence } from '../../src/protocol/models.ts';

const me = { id: 'ana' } as User;
const conversation = (id: string, lastSeq = 1) => ({ id, lastSeq }) as Conversation;
const catchUp = (conversationId: string): ConversationCatchUp => ({
  conversationId,
  messages: [],
  hasMore: false,
  reset: false,
});
const presence = (userId: string, status: UserPresence['status']): UserPresence => ({
  userId,
  status,
  lastSeenAt: null,
});
const answer = (parts: Partial<SyncResponse>): SyncResponse => ({
  me,
  conversations: [],
  catchUp: [],
  removed: [],
  presence: [],
  ...parts,
});

describe('resume in several sync requests', () => {
  it('splits cursors into requests of at most the given size, keeping every cursor once', () => {
    const cursors = Object.fromEntries(Array.from({ length: 2501 }, (_, i) => [`c${i}`, i]));
    const parts = splitCursors(cursors, 1000);
    expect(parts.map((part) => Object.keys(part).length)).toEqual([1000, 1000, 501]);
    expect(Object.assign({}, ...parts)).toEqual(cursors);
  });

  it('sends one empty request when nothing is held', () => {
    expect(splitCursors({})).toEqual([{}]);
  });

  it('merges catch-ups and removals of every answer, and lists and presence of the last', () => {
    const merged = mergeSyncAnswers([
      answer({
        conversations: [conversation('a'), conversation('b'), conversation('gone')],
        catchUp: [catchUp('a'), catchUp('gone')],
        removed: ['x'],
        presence: [presence('ben', 'online')],
      }),
      answer({
        conversations: [conversation('a', 2), conversation('b'), conversation('new')],
        catchUp: [catchUp('b')],
        removed: ['y'],
        presence: [presence('ben', 'away')],
      }),
    ]);
    expect(merged.conversations.map((c) => [c.id, c.lastSeq])).toEqual([
      ['a', 2],
      ['b', 1],
      ['new', 1],
    ]);
    // Left between the two requests: forgotten, with what the first answer caught up of it.
    expect(merged.catchUp.map((c) => c.conversationId)).toEqual(['a', 'b']);
    expect(merged.removed.sort()).toEqual(['gone', 'x', 'y']);
    expect(merged.presence).toEqual([presence('ben', 'away')]);
  });
});
