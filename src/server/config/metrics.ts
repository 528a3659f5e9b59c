// The Prometheus endpoint's settings: the bearer token scrapers send (`PARLEY_METRICS_TOKEN`) and the
// listener of its own it may have (`PARLEY_METRICS_PORT`, `PARLEY_METRICS_HOST`). Unset: no endpoint at all.
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import type { EnvironmentValues } from './environment.ts';
import { isLoopback, port } from './values.ts';

export interface MetricsSettings {
  /** What scrapers send as `Authorization: Bearer …`; null only on a metrics listener bound to loopback. */
  token: string | null;
  /** A listener of its own for `/metrics`; null: served on Parley's port, behind the token. */
  listen: { host: string; port: number } | null;
}

export const metricsEnvironment = {
  // Sent as one bearer word; long enough not to be guessed, like the other secrets.
  PARLEY_METRICS_TOKEN: z
    .string()
    .min(32, 'expected at least 32 characters (use a random secret)')
    .regex(/^\S+$/, 'expected no spaces: it is sent as one bearer token')
    .optional(),
  PARLEY_METRICS_PORT: port.optional(),
  PARLEY_METRICS_HOST: z.string().min(1).optional(),
};

/**
 * Fails closed: metrics tell anyone who reads them how busy Parley is and what fails, so they are served
 * without a token only on a listener this machine alone reaches.
 */
export function metricsSettings(values: EnvironmentValues): MetricsSettings | null {
  const { PARLEY_METRICS_TOKEN: token, PARLEY_METRICS_PORT: listenPort, PARLEY_METRICS_HOST } = values;
  if (PARLEY_METRICS_HOST !== undefined && listenPort === undefined) {
    throw new ConfigError(
      'PARLEY_METRICS_PORT: required with PARLEY_METRICS_HOST (the port the metrics listener binds to)',
    );
  }
  if (listenPort === undefined) return token ? { token, listen: null } : null;
  const host = PARLEY_METRICS_HOST ?? '127.0.0.1';
  if (!token && !isLoopback(host)) {
    throw new ConfigError(
      `PARLEY_METRICS_TOKEN: required when metrics listen on ${host}, which is not a loopback address ` +
        '(or set PARLEY_METRICS_HOST=127.0.0.1 to keep them on this machine)',
    );
  }
  return { token: token ?? null, listen: { host, port: listenPort } };
}
