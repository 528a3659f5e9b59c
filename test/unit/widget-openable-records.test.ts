import { describe, expect, it } from 'vitest';
import type { Conversation, RecordInfo } from '../../src/protocol/models.ts';
import { OpenableRecords } from '../../src/widget/openable-records.ts';

const jwt = (claims: object) =>
  `header.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

const recordThread = (record: Pick<RecordInfo, 'type' | 'id'>, kind: Conversation['kind'] = 'record') =>
  ({
    id: `c-${record.type}-${record.id}`,
    kind,
    record: { ...record, title: `${record.type} ${record.id}`, url: null, context: {}, status: 'open' },
  }) as Conversation;

describe('records the widget links references to', () => {
  it('knows the record threads in the list and the records the token names, and nothing else', () => {
    const openable = new OpenableRecords();
    expect(openable.learnToken(jwt({ sub: 'ana', records: { order: ['1234'] } }))).toBe(true);
    expect(openable.learnConversations([recordThread({ type: 'ticket', id: 'T-9' })])).toBe(true);
    expect(openable.has('order', '1234')).toBe(true);
    expect(openable.has('ticket', 'T-9')).toBe(true);
    expect(openable.has('order', '3')).toBe(false);
    expect(openable.has('ticket', '1234')).toBe(false);
  });

  it('says when what it knows changed, so that messages are parsed again only then', () => {
    const openable = new OpenableRecords();
    const token = jwt({ sub: 'ana', records: { order: ['1234', '1235'] } });
    expect(openable.learnToken(token)).toBe(true);
    expect(openable.learnToken(jwt({ sub: 'ana', exp: 1, records: { order: ['1235', '1234'] } }))).toBe(
      false,
    );
    expect(openable.learnToken(jwt({ sub: 'ana', records: { order: ['1235'] } }))).toBe(true);
    expect(openable.has('order', '1234')).toBe(false);

    const order = recordThread({ type: 'order', id: '77' });
    expect(openable.learnConversations([order])).toBe(true);
    expect(openable.learnConversations([order])).toBe(false);
    // Notes share their thread's record but add nothing; a thread the user lost stops linking.
    expect(openable.learnConversations([order, recordThread({ type: 'order', id: '77' }, 'notes')])).toBe(
      false,
    );
    expect(openable.learnConversations([])).toBe(true);
    expect(openable.has('order', '77')).toBe(false);
  });
});
