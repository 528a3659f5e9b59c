// Reading a JWT's claims without verifying it: only for what the client may decide on its own (when to
// fetch the next token, whose outbox to open, whom to greet, which record references to link). The server verifies every token it is given.

export interface TokenClaims {
  /** The user's id (`sub`). */
  subject: string | undefined;
  /** When the token expires, epoch ms (`exp`). */
  expiresAt: number | undefined;
  /**
   * Host records the user may open, by type (`records: { "order": ["1234"] }`): a hint for linking their
   * references; the server decides on every open.
   */
  records: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The claims of a JWT, or undefined when it is not a JWT the client can read. */
export function readToken(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const bytes = Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
      c.charCodeAt(0),
    );
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as {
      sub?: unknown;
      exp?: unknown;
      records?: unknown;
    };
    return {
      subject: typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined,
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
      records: recordsClaim(claims.records),
    };
  } catch {
    // Not a JWT: callers fall back (fetch a new token now, ask the server who the user is).
    return undefined;
  }
}

/** Reads `exp` from a JWT without verifying it: only to know when to ask for the next one. */
export const tokenExpiry = (token: string): number | undefined => readToken(token)?.expiresAt;

/** The `sub` claim of a JWT, read without verifying it: to name the user's outbox before connecting. */
export const tokenSubject = (token: string): string | undefined => readToken(token)?.subject;

/** The `records` claim's ids per type; anything malformed is left out, as the claim is only a hint. */
function recordsClaim(claim: unknown): Map<string, Set<string>> {
  const records = new Map<string, Set<string>>();
  if (typeof claim !== 'object' || claim === null || Array.isArray(claim)) return records;
  for (const [type, ids] of Object.entries(claim)) {
    if (!Array.isArray(ids)) continue;
    records.set(type, new Set(ids.filter((id): id is string => typeof id === 'string')));
  }
  return records;
}
