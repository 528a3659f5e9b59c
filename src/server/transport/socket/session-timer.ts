// A connection lives as long as its token: warned a minute ahead, cut at expiry unless refreshed.

/** How long before expiry the client is asked for a fresh token (at most; half the lifetime when shorter). */
export const REFRESH_WARNING_MS = 60_000;
/** setTimeout cannot wait longer than this; later expiries are re-checked when it fires. */
const MAX_TIMER_MS = 2_147_483_647;

export interface SessionTimer {
  schedule(expiresAt: Date): void;
  cancel(): void;
}

export function createSessionTimer(
  actions: { warn: (expiresAt: Date) => void; expire: () => void },
  now = () => Date.now(),
): SessionTimer {
  let warning: NodeJS.Timeout | undefined;
  let expiry: NodeJS.Timeout | undefined;
  const cancel = () => {
    clearTimeout(warning);
    clearTimeout(expiry);
  };
  const schedule = (expiresAt: Date): void => {
    cancel();
    const remaining = expiresAt.getTime() - now();
    // A minute ahead, or halfway for short-lived tokens, so a refreshed short token is not warned at once.
    const warnAhead = Math.min(REFRESH_WARNING_MS, remaining / 2);
    warning = setTimeout(
      () => actions.warn(expiresAt),
      Math.min(MAX_TIMER_MS, Math.max(0, remaining - warnAhead)),
    );
    expiry = setTimeout(
      () => (expiresAt.getTime() <= now() ? actions.expire() : schedule(expiresAt)),
      Math.min(MAX_TIMER_MS, Math.max(0, remaining)),
    );
  };
  return { schedule, cancel };
}
