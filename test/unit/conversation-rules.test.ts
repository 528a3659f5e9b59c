import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/protocol/errors.ts';
import { directKey, normalizeChannelName } from '../../src/server/domain/conversations/conversations.ts';
import { checkMessageBody } from '../../src/server/domain/messages/message-body.ts';

describe('conversation rules', () => {
  it('gives one direct key per pair of users, whichever of them starts', () => {
    expect(directKey('ana', 'ben')).toBe(directKey('ben', 'ana'));
    expect(directKey('a|b', 'c')).not.toBe(directKey('a', 'b|c'));
  });

  it('normalises channel names the way users type them', () => {
    expect(normalizeChannelName(' #Oracare-Team ')).toBe('oracare-team');
    expect(normalizeChannelName('lot_2291')).toBe('lot_2291');
    for (const bad of ['two words', '#', '-leading', 'semi;colon']) {
      expect(() => normalizeChannelName(bad), bad).toThrow(ParleyError);
    }
  });

  it('refuses blank bodies and counts the limit in characters, not UTF-16 units or bytes', () => {
    expect(() => checkMessageBody(' \n ', 10)).toThrow('empty');
    expect(() => checkMessageBody('😀'.repeat(10), 10)).not.toThrow();
    expect(() => checkMessageBody('😀'.repeat(11), 10)).toThrow('11 characters');
  });
});
