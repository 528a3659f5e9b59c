import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/client/outbox.ts';
import type { Message } from '../../src/protocol/models.ts';
import { buildRows, GROUP_WINDOW_MS, type Row } from '../../src/widget/rows.ts';
import { freshState } from '../helpers/message-state.ts';

const base = Date.parse('2025-03-10T09:00:00');
const message = (seq: number, senderId: string, minutesAfter: number): Message => ({
  id: `m${seq}`,
  conversationId: 'c',
  seq,
  senderId,
  body: `message ${seq}`,
  createdAt: new Date(base + minutesAfter * 60_000).toISOString(),
  clientMsgId: `k${seq}`,
  mentions: [],
  kind: 'message',
  ...freshState(seq),
});
const outgoing = (clientMsgId: string, status: 'pending' | 'failed'): OutgoingMessage => ({
  clientMsgId,
  conversationId: 'c',
  body: 'unsent',
  createdAt: new Date(base + 60 * 60_000).toISOString(),
  status,
  attempts: 0,
  notBefore: 0,
  ...(status === 'failed' ? { error: { code: 'message_too_long', message: 'too long' } } : {}),
});
const summary = (rows: Row[]) =>
  rows.map((row) =>
    row.kind === 'message'
      ? `${row.key}${row.first ? '<' : ''}${row.last ? '>' : ''}${row.mine ? ' mine' : ''} ${row.message.status}`
      : row.kind === 'receipt'
        ? `receipt ${row.readerIds.join(',')}`
        : row.kind === 'event'
          ? `event ${row.key}`
          : row.kind === 'top'
            ? `top ${row.hasMore ? 'more' : 'start'}`
            : row.kind === 'unread'
              ? 'unread'
              : 'day',
  );

describe('widget thread rows', () => {
  it('weaves internal notes in by time, in their own groups, and marks them', () => {
    const note = (seq: number, minutesAfter: number): Message => ({
      ...message(seq, 'ana', minutesAfter),
      conversationId: 'notes',
      clientMsgId: `n${seq}`,
    });
    const rows = buildRows({
      messages: [message(1, 'ana', 0), message(2, 'ana', 2), message(3, 'raj', 4)],
      outbox: [outgoing('p1', 'pending')],
      meId: 'ana',
      members: null,
      notes: { messages: [note(1, 1), note(2, 3)], outbox: [] },
    });
    expect(summary(rows)).toEqual([
      'top start',
      'day',
      'k1<> mine sent',
      'n1<> mine sent',
      'k2<> mine sent',
      'n2<> mine sent',
      'k3<> sent',
      'p1<> mine pending',
    ]);
    const notes = rows.flatMap((row) => (row.kind === 'message' && row.message.note ? [row.key] : []));
    expect(notes).toEqual(['n1', 'n2']);
  });

  it('holds back what is older than another lane can show until that lane loads further back', () => {
    const rows = buildRows({
      messages: [message(5, 'raj', 10), message(6, 'raj', 12)],
      outbox: [],
      meId: 'ana',
      members: null,
      notes: {
        messages: [
          { ...message(1, 'ana', 1), clientMsgId: 'n1' },
          { ...message(2, 'ana', 11), clientMsgId: 'n2' },
        ],
        outbox: [],
      },
    });
    expect(summary(rows)).toEqual(['top more', 'day', 'k5<> sent', 'n2<> mine sent', 'k6<> sent']);
  });

  it('groups consecutive messages of one sender under one header, with a day separator first', () => {
    const rows = buildRows({
      messages: [message(1, 'ana', 0), message(2, 'ana', 1), message(3, 'raj', 2), message(4, 'ana', 3)],
      outbox: [],
      meId: 'ana',
      members: null,
    });
    expect(summary(rows)).toEqual([
      'top start',
      'day',
      'k1< mine sent',
      'k2> mine sent',
      'k3<> sent',
      'k4<> mine sent',
    ]);
  });

  it('starts a new group after the group window and on a new day', () => {
    const gap = GROUP_WINDOW_MS / 60_000;
    const rows = buildRows({
      messages: [message(5, 'raj', 0), message(6, 'raj', gap + 1), message(7, 'raj', 24 * 60)],
      outbox: [],
      meId: 'ana',
      members: null,
    });
    expect(summary(rows)).toEqual(['top more', 'day', 'k5<> sent', 'k6<> sent', 'day', 'k7<> sent']);
  });

  it('shows unsent messages after the sent ones, and not twice once acknowledged', () => {
    const sent = { ...message(1, 'ana', 0), clientMsgId: 'acked' };
    const rows = buildRows({
      messages: [sent],
      outbox: [outgoing('acked', 'pending'), outgoing('p1', 'pending'), outgoing('f1', 'failed')],
      meId: 'ana',
      members: null,
    });
    expect(summary(rows)).toEqual([
      'top start',
      'day',
      'acked<> mine sent',
      'p1< mine pending',
      'f1> mine failed',
    ]);
    const failed = rows.at(-1);
    expect(failed?.kind === 'message' && failed.message.error?.code).toBe('message_too_long');
  });

  it('puts "seen by" under the user’s latest message, naming who read that far', () => {
    const rows = buildRows({
      messages: [message(1, 'ana', 0), message(2, 'raj', 1), message(3, 'ana', 2)],
      outbox: [],
      meId: 'ana',
      members: [
        { id: 'ana', displayName: 'Ana', lastReadSeq: 3 },
        { id: 'raj', displayName: 'Raj', lastReadSeq: 3 },
        { id: 'sam', displayName: 'Sam', lastReadSeq: 2 },
      ],
    });
    expect(summary(rows).slice(-2)).toEqual(['k3<> mine sent', 'receipt raj']);
  });

  it('sets events from the host apart: they break sender groups and never carry a receipt', () => {
    const event = { ...message(2, 'ana', 1), kind: 'event' as const };
    const rows = buildRows({
      messages: [message(1, 'ana', 0), event, message(3, 'ana', 2)],
      outbox: [],
      meId: 'ana',
      members: [{ id: 'raj', displayName: 'Raj', lastReadSeq: 2 }],
    });
    expect(summary(rows)).toEqual(['top start', 'day', 'k1<> mine sent', 'event k2', 'k3<> mine sent']);
  });

  it('shows no receipt in channels or before anyone has read', () => {
    const messages = [message(1, 'ana', 0)];
    const unread = [{ id: 'raj', displayName: 'Raj', lastReadSeq: 0 }];
    expect(
      buildRows({ messages, outbox: [], meId: 'ana', members: null }).some((r) => r.kind === 'receipt'),
    ).toBe(false);
    expect(
      buildRows({ messages, outbox: [], meId: 'ana', members: unread }).some((r) => r.kind === 'receipt'),
    ).toBe(false);
  });

  it('puts the new-messages divider above the first message of others after where the user had read', () => {
    const messages = [message(1, 'raj', 0), message(2, 'raj', 1), message(3, 'ana', 2), message(4, 'raj', 3)];
    const rows = buildRows({ messages, outbox: [], meId: 'ana', members: null, readUpTo: 1 });
    // The divider breaks Raj's group: the first unread message shows who wrote it.
    expect(summary(rows)).toEqual([
      'top start',
      'day',
      'k1<> sent',
      'unread',
      'k2<> sent',
      'k3<> mine sent',
      'k4<> sent',
    ]);
    const own = buildRows({ messages, outbox: [], meId: 'ana', members: null, readUpTo: 2 });
    expect(summary(own).indexOf('unread')).toBe(summary(own).indexOf('k4<> sent') - 1);
  });

  it('shows no divider when everything was read, or for a thread opened without a read position', () => {
    const messages = [message(1, 'raj', 0), message(2, 'ana', 1)];
    for (const readUpTo of [2, 5, undefined]) {
      const rows = buildRows({ messages, outbox: [], meId: 'ana', members: null, readUpTo });
      expect(rows.some((row) => row.kind === 'unread')).toBe(false);
    }
  });

  it('quotes the held original in a reply still waiting in the outbox', () => {
    const original = message(1, 'raj', 0);
    const reply = { ...outgoing('p1', 'pending'), replyToId: original.id };
    const rows = buildRows({ messages: [original], outbox: [reply], meId: 'ana', members: null });
    const pending = rows.at(-1);
    expect(pending?.kind === 'message' && pending.message.replyTo).toMatchObject({
      messageId: 'm1',
      excerpt: 'message 1',
      deleted: false,
    });
  });
});
