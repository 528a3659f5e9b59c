import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/protocol/models.ts';
import { conversationTitle, initials, previewOf, timeFormat } from '../../src/widget/format.ts';
import { stringsFor } from '../../src/widget/strings.ts';
import { freshState } from '../helpers/message-state.ts';

const strings = stringsFor('en');
const conversation = (overrides: Partial<Conversation>): Conversation => ({
  id: 'c1',
  kind: 'direct',
  name: null,
  createdAt: '2025-03-10T09:00:00.000Z',
  updatedAt: '2025-03-10T09:00:00.000Z',
  memberCount: 2,
  policy: null,
  archivedAt: null,
  record: null,
  parentId: null,
  audience: null,
  members: [
    { id: 'ana', displayName: 'Ana Lima', lastReadSeq: 0 },
    { id: 'raj', displayName: 'Raj Patel', lastReadSeq: 0 },
  ],
  lastSeq: 0,
  lastReadSeq: 0,
  unreadCount: 0,
  mentionCount: 0,
  muted: false,
  lastMessage: null,
  ...overrides,
});

describe('widget formatting', () => {
  it('titles channels with #, DMs after the other person, groups by name or first names', () => {
    expect(
      conversationTitle(conversation({ kind: 'channel', name: 'ops', members: null }), 'ana', strings),
    ).toBe('#ops');
    expect(conversationTitle(conversation({}), 'ana', strings)).toBe('Raj Patel');
    expect(conversationTitle(conversation({ kind: 'group' }), 'ana', strings)).toBe('Raj');
    expect(conversationTitle(conversation({ kind: 'group', name: 'Launch' }), 'ana', strings)).toBe('Launch');
    const record = {
      type: 'order',
      id: '1234',
      title: 'Order 1234',
      url: null,
      context: {},
      status: 'open' as const,
    };
    expect(conversationTitle(conversation({ kind: 'record', record }), 'ana', strings)).toBe('Order 1234');
  });

  it('makes initials from names', () => {
    expect([
      initials('Ana Lima'),
      initials('Ana Maria Lima'),
      initials('#oracare-team'),
      initials('élodie'),
    ]).toEqual(['AL', 'AL', 'OT', 'É']);
  });

  it('previews the last message with who sent it', () => {
    const lastMessage = {
      id: 'm',
      conversationId: 'c1',
      seq: 1,
      senderId: 'raj',
      body: 'Line one\n  line two',
      createdAt: '2025-03-10T09:00:00.000Z',
      clientMsgId: 'k',
      mentions: [],
      kind: 'message' as const,
      ...freshState(1),
    };
    const nameOf = (id: string) => (id === 'raj' ? 'Raj Patel' : id);
    expect(previewOf(conversation({ lastMessage }), 'ana', nameOf, strings)).toBe('Line one line two');
    expect(previewOf(conversation({ kind: 'group', lastMessage }), 'ana', nameOf, strings)).toBe(
      'Raj: Line one line two',
    );
    expect(previewOf(conversation({ lastMessage }), 'raj', nameOf, strings)).toBe('You: Line one line two');
    expect(previewOf(conversation({}), 'ana', nameOf, strings)).toBe('No messages yet');
  });

  it('says times relative to now', () => {
    const time = timeFormat('en', strings);
    const now = Date.parse('2025-03-10T15:00:00');
    expect(time.messageTime(new Date(now - 20_000).toISOString(), now)).toBe('just now');
    expect(time.messageTime(new Date(now - 5 * 60_000).toISOString(), now)).toMatch(/^5 min/);
    expect(time.dayLabel(new Date(now - 3600_000).toISOString(), now)).toBe('Today');
    expect(time.dayLabel(new Date(now - 24 * 3600_000).toISOString(), now)).toBe('Yesterday');
    expect(time.listTime(new Date(now - 24 * 3600_000).toISOString(), now)).toBe('Yesterday');
  });

  it('falls back to English for a language without a table', () => {
    expect(stringsFor('xx-YY')).toBe(stringsFor('en'));
    expect(stringsFor(undefined).openChat(3)).toBe('Open chat, 3 unread');
  });
});
