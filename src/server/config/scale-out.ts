// Several nodes (docs/scale-out.md): with `PARLEY_REDIS_URL`, nodes share fan-out and rate limits through
// Redis; PostgreSQL stays the log. The embedded database serves one process, so Redis comes only with it.
import { z } from 'zod';
import { ConfigError } from './config-error.ts';

export interface ScaleOutSettings {
  /** Null: one node, everything in this process. */
  redisUrl: string | null;
}

export const scaleOutEnvironment = {
  PARLEY_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL, e.g. redis://redis.internal:6379')
    .optional(),
};

interface ScaleOutValues {
  PARLEY_REDIS_URL?: string | undefined;
  DATABASE_URL?: string | undefined;
}

export function scaleOutSettings(values: ScaleOutValues): ScaleOutSettings {
  if (values.PARLEY_REDIS_URL && !values.DATABASE_URL) {
    throw new ConfigError(
      'DATABASE_URL: required with PARLEY_REDIS_URL (nodes share one PostgreSQL; the embedded database ' +
        'serves a single process)',
    );
  }
  return { redisUrl: values.PARLEY_REDIS_URL ?? null };
}
