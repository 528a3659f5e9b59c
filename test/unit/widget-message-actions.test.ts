import { describe, expect, it } from 'vitest';
import type { Conversation, User } from '../../src/protocol/models.ts';
import { splitMentions } from '../../src/widget/mention-text.ts';
import { mentionCandidates } from '../../src/widget/mentions.ts';
import { linkedMessage, messageLink } from '../../src/widget/message-link.ts';
import { mayReadVersions, messageRights } from '../../src/widget/message-rules.ts';
import { readersAmong } from '../../src/widget/readers.ts';

const person = (id: string, displayName: string, orgId: string) => ({ id, displayName, orgId });
const people = [
  person('ana', 'Ana Lima', 'axiom'),
  person('raj', 'Raj Patel', 'axiom'),
  person('olivia', 'Olivia Chen', 'oracare'),
  person('nina', 'Nina Kowalski', 'northwind'),
];
const org = (id: string) => ({ id, name: id, kind: 'client' as const });
const me = (id: string, orgKind: User['orgKind'], role: User['role']) => ({ id, orgKind, role });

describe('who a mention may name', () => {
  it('offers for a record thread the people of the organisations it is visible to, for notes only the own', () => {
    const thread: Pick<Conversation, 'kind' | 'audience'> = {
      kind: 'record',
      audience: [org('axiom'), org('oracare')],
    };
    expect(readersAmong(thread, people, 'axiom').map((p) => p.id)).toEqual(['ana', 'raj', 'olivia']);
    const notes: Pick<Conversation, 'kind' | 'audience'> = { kind: 'notes', audience: [org('axiom')] };
    expect(readersAmong(notes, people, 'axiom').map((p) => p.id)).toEqual(['ana', 'raj']);
  });

  it('narrows the readers to those with a name word starting with what was typed, the user left out', () => {
    const readers = readersAmong(
      { kind: 'record', audience: [org('axiom'), org('oracare')] },
      people,
      'axiom',
    );
    expect(mentionCandidates(readers, 'o', 'ana').map((p) => p.id)).toEqual(['olivia']);
    expect(mentionCandidates(readers, 'n', 'ana')).toEqual([]);
    expect(mentionCandidates(readers, '', 'ana').map((p) => p.id)).toEqual(['raj', 'olivia']);
  });
});

describe('mentions in a message’s text', () => {
  it('cuts out each @Name of the people mentioned, the longest name first, and nothing else', () => {
    const mentioned = [
      { name: 'Ana', me: false },
      { name: 'Ana Lima', me: true },
    ];
    expect(splitMentions('Thanks @Ana Lima, and @Raj too', mentioned)).toEqual([
      'Thanks ',
      { mention: { name: 'Ana Lima', me: true } },
      ', and @Raj too',
    ]);
    expect(splitMentions('mail ana@example.com', [])).toEqual(['mail ana@example.com']);
    expect(splitMentions('@Ana', mentioned)).toEqual([{ mention: { name: 'Ana', me: false } }]);
  });
});

describe('what the user may do to a message', () => {
  const message = { kind: 'message' as const, senderId: 'raj', deletedAt: null };

  it('lets everyone react and reply, the author edit and delete, an internal admin delete', () => {
    expect(messageRights(message, me('olivia', 'client', 'viewer'), false)).toEqual({
      react: true,
      reply: true,
      edit: false,
      delete: false,
    });
    expect(messageRights(message, me('raj', 'internal', 'member'), false)).toMatchObject({
      edit: true,
      delete: true,
    });
    expect(messageRights(message, me('ana', 'internal', 'admin'), false)).toMatchObject({
      edit: false,
      delete: true,
    });
    expect(messageRights(message, me('boss', 'client', 'admin'), false)).toMatchObject({ delete: false });
  });

  it('allows nothing on tombstones, unsent messages or in an archived conversation, and no edit of host events', () => {
    const none = { react: false, reply: false, edit: false, delete: false };
    const raj = me('raj', 'internal', 'member');
    expect(messageRights({ ...message, deletedAt: '2026-01-01T00:00:00Z' }, raj, false)).toEqual(none);
    expect(messageRights(null, raj, false)).toEqual(none);
    expect(messageRights(message, raj, true)).toEqual(none);
    expect(messageRights({ ...message, kind: 'event' }, raj, false)).toMatchObject({
      edit: false,
      delete: true,
    });
  });

  it('lets the author and internal admins read an edited message’s earlier versions, archived or not', () => {
    const edited = { ...message, editedAt: '2026-01-01T00:00:00Z' };
    expect(mayReadVersions(edited, me('raj', 'internal', 'member'))).toBe(true);
    expect(mayReadVersions(edited, me('ana', 'internal', 'admin'))).toBe(true);
    expect(mayReadVersions(edited, me('sam', 'internal', 'member'))).toBe(false);
    expect(mayReadVersions(edited, me('boss', 'client', 'admin'))).toBe(false);
    expect(mayReadVersions({ ...message, editedAt: null }, me('raj', 'internal', 'member'))).toBe(false);
    expect(
      mayReadVersions({ ...edited, deletedAt: '2026-01-02T00:00:00Z' }, me('ana', 'internal', 'admin')),
    ).toBe(false);
  });
});

describe('links to a message', () => {
  it('keeps the page and its other parameters, and reads back the thread, conversation and seq', () => {
    const link = messageLink('https://dash.example/orders?tab=2#/orders/7', {
      threadId: 't1',
      conversationId: 't1',
      seq: 42,
    });
    expect(link).toBe('https://dash.example/orders?tab=2&conversation=t1&message=42#/orders/7');
    expect(linkedMessage(link)).toEqual({ threadId: 't1', conversationId: 't1', seq: 42 });
  });

  it('names the notes a note is in, and reads no message from a page without a usable one', () => {
    const link = messageLink('https://chat.example/?conversation=old&notes=x', {
      threadId: 't1',
      conversationId: 'n1',
      seq: 3,
    });
    expect(linkedMessage(link)).toEqual({ threadId: 't1', conversationId: 'n1', seq: 3 });
    expect(linkedMessage('https://chat.example/?conversation=t1')).toBeNull();
    expect(linkedMessage('https://chat.example/?conversation=t1&message=abc')).toBeNull();
  });
});
