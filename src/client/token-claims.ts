// Reading a JWT's claims without verifying it: only for what the client may decide on its own (when to
// fetch the next token, whose outbox to open, whom to greet). The server verifies every token it is given.

export interface TokenClaims {
  /** The user's id (`sub`). */
  subject: string | undefined;
  /** When the token expires, epoch ms (`exp`). */
  expiresAt: number | undefined;
}

/** The claims of a JWT, or undefined when it is not a JWT the client can read. */
export function readToken(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const bytes = Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
      c.charCodeAt(0),
    );
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as { sub?: unknown; exp?: unknown };
    return {
      subject: typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined,
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
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
