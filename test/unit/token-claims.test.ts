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
    });
    expect(readToken(jwt({ sub: 7, exp: 'soon' }))).toEqual({ subject: undefined, expiresAt: undefined });
  });
});
