import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.ts';

const secret = 'a-secret-of-at-least-thirty-two-characters';

describe('configuration', () => {
  it('starts in demo mode on embedded PGlite with a generated secret when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      demo: true,
      secretGenerated: true,
      maxMessageLength: 4000,
    });
    expect(config.database).toEqual({ driver: 'pglite', dataDir: './data' });
    expect(config.jwt.secret?.length).toBeGreaterThanOrEqual(32);
  });

  it('uses PostgreSQL when DATABASE_URL is set and leaves demo mode off when a secret is set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://db.internal/parley',
      PARLEY_JWT_SECRET: secret,
      PORT: '8080',
    });
    expect(config.database).toEqual({
      driver: 'postgres',
      url: 'postgres://db.internal/parley',
      poolSize: 10,
    });
    expect(config).toMatchObject({ demo: false, secretGenerated: false, port: 8080, host: '0.0.0.0' });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PARLEY_JWT_SECRET: 'short' }, 'PARLEY_JWT_SECRET'],
    [{ PARLEY_DEMO: 'maybe' }, 'PARLEY_DEMO'],
    [{ PARLEY_MAX_MESSAGE_LENGTH: '0' }, 'PARLEY_MAX_MESSAGE_LENGTH'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PARLEY_DEMO: '0' }, 'PARLEY_JWT_SECRET or PARLEY_JWKS_URL'],
    [{ PARLEY_JWKS_URL: 'not a url' }, 'PARLEY_JWKS_URL'],
  ])('refuses %o naming the variable %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).database.driver).toBe('pglite');
  });
});
