import { describe, expect, it } from 'vitest';
import type { ConversationMember } from '../../src/protocol/models.ts';
import {
  broadcastCandidates,
  broadcastOf,
  insertMention,
  mentionAt,
  mentionCandidates,
  mentionedIds,
} from '../../src/widget/mentions.ts';

const member = (id: string, displayName: string): ConversationMember => ({ id, displayName, lastReadSeq: 0 });
const members = [member('me', 'Ana Lima'), member('b', 'Ben Ortiz'), member('c', 'Cleo Bennett')];

describe('composer mentions', () => {
  it('finds the @ the caret is in only at the start of a word and before any space', () => {
    expect(mentionAt('hi @be', 6)).toEqual({ start: 3, end: 6, text: 'be' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, end: 1, text: '' });
    expect(mentionAt('mail ana@example', 16)).toBeUndefined();
    expect(mentionAt('hi @ben there', 13)).toBeUndefined();
  });

  it('offers the other members with a name word starting with what was typed', () => {
    expect(mentionCandidates(members, 'ben', 'me').map((m) => m.id)).toEqual(['b', 'c']);
    expect(mentionCandidates(members, '', 'me').map((m) => m.id)).toEqual(['b', 'c']);
    expect(mentionCandidates(members, 'an', 'me')).toEqual([]);
  });

  it('inserts @Name in place of the query and puts the caret after it', () => {
    const query = { start: 3, end: 6, text: 'Be' };
    expect(insertMention('hi @Be, look', query, 'Ben Ortiz')).toEqual({
      text: 'hi @Ben Ortiz , look',
      caret: 14,
    });
  });

  it('sends the ids of chosen members whose mention is still in the text', () => {
    const chosen = new Map([
      ['b', 'Ben Ortiz'],
      ['c', 'Cleo Bennett'],
    ]);
    expect(mentionedIds('@Ben Ortiz can you look?', chosen)).toEqual(['b']);
  });

  it('offers @channel and @here as far as typed', () => {
    expect(broadcastCandidates('')).toEqual(['channel', 'here']);
    expect(broadcastCandidates('H')).toEqual(['here']);
    expect(broadcastCandidates('chan')).toEqual(['channel']);
    expect(broadcastCandidates('chx')).toEqual([]);
  });

  it('sends the wider mention of everyone chosen and still in the text as a word of its own', () => {
    const both = new Set(['channel', 'here'] as const);
    expect(broadcastOf('@here and @channel: stand-up', both)).toBe('channel');
    expect(broadcastOf('stand-up @here', both)).toBe('here');
    expect(broadcastOf('stand-up @here', new Set(['channel'] as const))).toBeUndefined();
    expect(broadcastOf('see @channels or mail@here', both)).toBeUndefined();
    expect(broadcastOf('typed @here without choosing it', new Set())).toBeUndefined();
  });
});
