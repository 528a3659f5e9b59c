import { describe, expect, it } from 'vitest';
import { readToken, tokenSubject } from '../../src/client/token-claims.ts';

const jwt = (claims: object) =>
  `header.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

describe('token claims', () => {
  it('reads the user id from a token without verifying it, and nothing from a non-JWT', () => {
    expect(tokenSubject(jwt({ sub: 'ana', name: 'Ana Lí' }))).toBe('ana');
    expect(tokenSubject('opaque-token')).toBeUndefined();
    expect(tokenSubject('a.%%%.c')).toBeUndefined();
  });

  it('reads the expiry in epoch ms and leaves out claims of the wrong type', () => {
    expect(readToken(jwt({ sub: 'ana', exp: 1_700_000_000 }))).toEqual({
      subject: 'ana',
      expiresAt: 1_700_000_000_000,
      records: new Map(),
    });
    expect(readToken(jwt({ sub: 7, exp: 'soon' }))).toEqual({
      subject: undefined,
      expiresAt: undefined,
      records: new Map(),
    });
  });

  it('reads the records the host says the user may open, leaving out what is not a list of ids', () => {
    const claims = readToken(
      jwt({ sub: 'ana', records: { order: ['1234', 1235, '1236'], ticket: 'T-1', po: [] } }),
    );
    expect(claims?.records).toEqual(
      new Map([
        ['order', new Set(['1234', '1236'])],
        ['po', new Set()],
      ]),
    );
    for (const records of [['order', '1234'], 'order:1234', null]) {
      expect(readToken(jwt({ sub: 'ana', records }))?.records).toEqual(new Map());
    }
  });
});
