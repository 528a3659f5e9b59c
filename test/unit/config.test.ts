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
    [{ PARLEY_WEBHOOK_ALLOW: '10.0.0.0/33' }, 'PARLEY_WEBHOOK_ALLOW'],
    [{ PARLEY_WEBHOOK_ALLOW: 'hooks.internal.example, 10.20.0.0/' }, 'PARLEY_WEBHOOK_ALLOW'],
    [{ PARLEY_WEBHOOK_ALLOW: 'https://hooks.internal.example' }, 'PARLEY_WEBHOOK_ALLOW'],
    [{ PARLEY_WEBHOOK_ALLOW: '10.1/16' }, 'PARLEY_WEBHOOK_ALLOW'],
    [{ PARLEY_WEBHOOK_ALLOW: '10.1' }, 'PARLEY_WEBHOOK_ALLOW'],
    [{ PARLEY_WEBHOOK_ALLOW: 'hooks.internal.example:8080' }, 'PARLEY_WEBHOOK_ALLOW'],
    [{ PARLEY_WEBHOOK_ALLOW: '10.0.0.0/8/8' }, 'PARLEY_WEBHOOK_ALLOW'],
  ])('refuses %o naming the variable %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('reads the webhook allow-list as host names and ranges, a bare address as a range of one', () => {
    const { webhookAllow } = loadConfig({
      PARLEY_WEBHOOK_ALLOW: 'Hooks.Internal.Example, 10.20.0.0/16,127.0.0.1, fd00::/8,::1, parley_hooks',
    });
    expect(webhookAllow.hosts).toEqual(['hooks.internal.example', 'parley_hooks']);
    expect(webhookAllow.ranges.map(([address, bits]) => `${address}/${bits}`)).toEqual([
      '10.20.0.0/16',
      '127.0.0.1/32',
      'fd00::/8',
      '::1/128',
    ]);
    expect(loadConfig({}).webhookAllow).toEqual({ hosts: [], ranges: [] });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).database.driver).toBe('pglite');
  });
});
