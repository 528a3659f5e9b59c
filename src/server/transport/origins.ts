// Which browser origins may call Parley: configured host dashboards, and Parley's own pages.

/**
 * `allowed` null admits every origin (demo mode only). A request without an Origin header is not from a
 * browser page (or is same-origin navigation) and cannot ride a user's cookies: it is admitted, and must
 * still carry a token.
 */
export function createOriginCheck(allowed: readonly string[] | null) {
  return (origin: string | undefined, host: string | undefined): boolean => {
    if (origin === undefined || allowed === null) return true;
    if (allowed.includes(origin)) return true;
    try {
      return host !== undefined && new URL(origin).host === host;
    } catch {
      // An Origin header that is not a URL (e.g. "null" from a sandboxed frame) matches nothing.
      return false;
    }
  };
}

export type OriginCheck = ReturnType<typeof createOriginCheck>;
