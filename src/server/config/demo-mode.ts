// Demo mode: when it is on, and the secret its login signs with.
import { randomBytes } from 'node:crypto';
import { ConfigError } from './config-error.ts';
import type { EnvironmentValues } from './environment.ts';
import { isLoopback } from './values.ts';

export interface DemoMode {
  /** Signs the demo login's tokens and the demo order system's grants; lives only in this process. */
  secret: string;
  /**
   * True when PARLEY_DEMO=1 asked for it; false when chosen because nothing said "production", which also
   * requires the embedded database to hold only demo data (checked once it is open).
   */
  explicit: boolean;
}

/**
 * Demo mode opens an unauthenticated login, so it is never a fallback for a missing secret in production:
 * only PARLEY_DEMO=1 asks for it, or nothing at all says "production" (no host keys, no DATABASE_URL, no
 * public URL, no host token route for the full-page chat, listening on loopback only). Anything else without host keys refuses to start.
 */
export function chooseDemoMode(values: EnvironmentValues): DemoMode | null {
  const hostKeys = values.PARLEY_JWT_SECRET !== undefined || values.PARLEY_JWKS_URL !== undefined;
  const secret = () => randomBytes(32).toString('base64url');
  if (values.PARLEY_DEMO === true) return { secret: secret(), explicit: true };
  if (hostKeys) return null;
  const production = [
    values.PARLEY_DEMO === false && 'PARLEY_DEMO=0',
    values.DATABASE_URL && 'DATABASE_URL is set',
    values.PARLEY_PUBLIC_URL && 'PARLEY_PUBLIC_URL is set',
    values.PARLEY_APP_TOKEN_URL && 'PARLEY_APP_TOKEN_URL is set',
    values.HOST && !isLoopback(values.HOST) && `HOST=${values.HOST} is not a loopback address`,
  ].filter(Boolean);
  if (production.length === 0) return { secret: secret(), explicit: false };
  throw new ConfigError(
    `PARLEY_JWT_SECRET or PARLEY_JWKS_URL: one is required to verify host tokens (${production.join(', ')}); ` +
      'set PARLEY_DEMO=1 only to run the unauthenticated demo',
  );
}
