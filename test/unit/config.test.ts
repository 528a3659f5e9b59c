import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.ts';

const secret = 'a-secret-of-at-least-thirty-two-characters';

/** A VAPID key pair as an operator would set it (unpadded base64url). */
function vapidPair() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    publicKey: ecdh.getPublicKey('base64url'),
    privateKey: ecdh.getPrivateKey('base64url').padStart(43, 'A'),
  };
}

describe('configuration', () => {
  it('starts in demo mode on embedded PGlite, on loopback, with a demo secret of its own when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', maxMessageLength: 4000 });
    expect(config.demo).toMatchObject({ explicit: false });
    expect(config.demo?.secret.length).toBeGreaterThanOrEqual(32);
    expect(config.database).toEqual({ driver: 'pglite', dataDir: './data' });
    expect(config.jwt.secret).toBeUndefined();
  });

  it.each([
    [{ DATABASE_URL: 'postgres://db.internal/parley' }, 'DATABASE_URL is set'],
    [{ PARLEY_PUBLIC_URL: 'https://chat.example.com' }, 'PARLEY_PUBLIC_URL is set'],
    [{ HOST: '0.0.0.0' }, 'HOST=0.0.0.0'],
    [{ HOST: '10.1.2.3' }, 'HOST=10.1.2.3'],
    [{ PARLEY_DEMO: '0' }, 'PARLEY_DEMO=0'],
  ])('refuses to start without host keys when %o says production, naming the variable to set', (env, why) => {
    const refusal = () => loadConfig({ PARLEY_JWT_SECRET: '', ...env });
    expect(refusal).toThrow(ConfigError);
    expect(refusal).toThrow(/^PARLEY_JWT_SECRET or PARLEY_JWKS_URL: /);
    expect(refusal).toThrow(why);
  });

  it.each(['127.0.0.1', '127.0.1.1', '::1', 'localhost'])(
    'keeps the implicit demo on loopback HOST=%s',
    (host) => {
      expect(loadConfig({ HOST: host }).demo).toMatchObject({ explicit: false });
    },
  );

  it('runs the demo wherever PARLEY_DEMO=1 says so, signing with its own secret, never the operator’s', () => {
    const config = loadConfig({
      PARLEY_DEMO: '1',
      DATABASE_URL: 'postgres://db.internal/parley',
      PARLEY_JWT_SECRET: secret,
    });
    expect(config.demo?.explicit).toBe(true);
    expect(config.demo?.secret).not.toBe(secret);
    expect(config.jwt.secret).toBe(secret);
  });

  it('requires an audience with a JWKS, unless the risk is accepted by name', () => {
    const jwks = { PARLEY_JWKS_URL: 'https://id.example.com/.well-known/jwks.json' };
    expect(() => loadConfig(jwks)).toThrow(/^PARLEY_JWT_AUDIENCE: /);
    expect(loadConfig({ ...jwks, PARLEY_JWT_AUDIENCE: 'parley' }).jwt.audience).toBe('parley');
    expect(loadConfig({ ...jwks, PARLEY_JWT_ACCEPT_ANY_AUDIENCE_UNSAFE: '1' }).jwt.audience).toBeUndefined();
  });

  it('caps token lifetimes at a day unless configured', () => {
    expect(loadConfig({ PARLEY_JWT_SECRET: secret }).jwt.maxLifetimeSeconds).toBe(86_400);
    expect(
      loadConfig({ PARLEY_JWT_SECRET: secret, PARLEY_JWT_MAX_LIFETIME_S: '600' }).jwt.maxLifetimeSeconds,
    ).toBe(600);
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
    expect(config).toMatchObject({ demo: null, port: 8080, host: '0.0.0.0' });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PARLEY_JWT_SECRET: 'short' }, 'PARLEY_JWT_SECRET'],
    [{ PARLEY_DEMO: 'maybe' }, 'PARLEY_DEMO'],
    [{ PARLEY_MAX_MESSAGE_LENGTH: '0' }, 'PARLEY_MAX_MESSAGE_LENGTH'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT'],
    [{ PARLEY_JWKS_URL: 'not a url' }, 'PARLEY_JWKS_URL'],
    [{ PARLEY_JWT_MAX_LIFETIME_S: '100y' }, 'PARLEY_JWT_MAX_LIFETIME_S'],
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

  it("signs pushes with the operator's VAPID pair when both keys are set, and with a kept one otherwise", () => {
    const pair = vapidPair();
    const config = loadConfig({
      PARLEY_VAPID_PUBLIC_KEY: pair.publicKey,
      PARLEY_VAPID_PRIVATE_KEY: pair.privateKey,
      PARLEY_VAPID_SUBJECT: 'mailto:ops@example.com',
      PARLEY_PUSH_ALLOW: 'push.internal.example, 10.30.0.0/16',
    });
    expect(config.push).toMatchObject({ vapidKeys: pair, subject: 'mailto:ops@example.com' });
    expect(config.push.allow.hosts).toEqual(['push.internal.example']);
    expect(loadConfig({}).push).toMatchObject({ vapidKeys: null, subject: 'mailto:push@parley.invalid' });
    expect(
      loadConfig({ PARLEY_PUBLIC_URL: 'https://chat.example.com/app', PARLEY_JWT_SECRET: secret }).push
        .subject,
    ).toBe('https://chat.example.com');
  });

  it.each([
    ['PARLEY_VAPID_PUBLIC_KEY', 'PARLEY_VAPID_PRIVATE_KEY'],
    ['PARLEY_VAPID_PRIVATE_KEY', 'PARLEY_VAPID_PUBLIC_KEY'],
  ])('refuses to start with a half-set VAPID pair: %s is required with %s', (missing, present) => {
    const pair = vapidPair();
    const env = { [present]: present === 'PARLEY_VAPID_PUBLIC_KEY' ? pair.publicKey : pair.privateKey };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${missing}: required with ${present}`));
  });

  it.each([
    [
      { PARLEY_VAPID_PUBLIC_KEY: 'BAD', PARLEY_VAPID_PRIVATE_KEY: vapidPair().privateKey },
      'PARLEY_VAPID_PUBLIC_KEY',
    ],
    // 65 bytes that start like a point but are none of the curve's.
    [
      { PARLEY_VAPID_PUBLIC_KEY: `B${'A'.repeat(86)}`, PARLEY_VAPID_PRIVATE_KEY: vapidPair().privateKey },
      'PARLEY_VAPID_PUBLIC_KEY',
    ],
    [
      { PARLEY_VAPID_PUBLIC_KEY: vapidPair().publicKey, PARLEY_VAPID_PRIVATE_KEY: 'short' },
      'PARLEY_VAPID_PRIVATE_KEY',
    ],
    // Two valid keys of two different pairs.
    [
      { PARLEY_VAPID_PUBLIC_KEY: vapidPair().publicKey, PARLEY_VAPID_PRIVATE_KEY: vapidPair().privateKey },
      'PARLEY_VAPID_PRIVATE_KEY: not the private key of PARLEY_VAPID_PUBLIC_KEY',
    ],
    [{ PARLEY_VAPID_SUBJECT: 'ops@example.com' }, 'PARLEY_VAPID_SUBJECT'],
    [{ PARLEY_VAPID_SUBJECT: 'http://example.com' }, 'PARLEY_VAPID_SUBJECT'],
    [{ PARLEY_PUSH_ALLOW: '10.0.0.0/33' }, 'PARLEY_PUSH_ALLOW'],
  ])('refuses unsafe push settings %o naming %s', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never repeats a malformed VAPID private key in its refusal', () => {
    const privateKey = 'not-a-key-but-a-secret-all-the-same';
    expect(() =>
      loadConfig({ PARLEY_VAPID_PUBLIC_KEY: vapidPair().publicKey, PARLEY_VAPID_PRIVATE_KEY: privateKey }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining(privateKey) }));
  });

  it('logs readable lines in demo mode and JSON lines otherwise, unless LOG_FORMAT says', () => {
    expect(loadConfig({}).logFormat).toBe('pretty');
    expect(loadConfig({ PARLEY_JWT_SECRET: secret }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig({ PARLEY_JWT_SECRET: secret, LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
  });

  it('sends email only with an SMTP server, a From address, a public URL and a lasting signing secret', () => {
    const smtp = { PARLEY_SMTP_URL: 'smtp://mail.example.com:587', PARLEY_JWT_SECRET: secret };
    expect(loadConfig({ PARLEY_JWT_SECRET: secret }).notifications.email).toBeNull();
    expect(() => loadConfig(smtp)).toThrow(/^PARLEY_MAIL_FROM: required with PARLEY_SMTP_URL/);
    const from = { ...smtp, PARLEY_MAIL_FROM: 'Parley <parley@example.com>' };
    expect(() => loadConfig(from)).toThrow(/^PARLEY_PUBLIC_URL: required with PARLEY_SMTP_URL/);
    const complete = { ...from, PARLEY_PUBLIC_URL: 'https://chat.example.com' };
    expect(loadConfig(complete).notifications.email).toEqual({
      smtpUrl: 'smtp://mail.example.com:587',
      from: 'Parley <parley@example.com>',
      timeoutMs: 10_000,
    });
    const jwksOnly = {
      ...complete,
      PARLEY_JWT_SECRET: '',
      PARLEY_JWKS_URL: 'https://id.example.com/jwks',
      PARLEY_JWT_AUDIENCE: 'parley',
    };
    expect(() => loadConfig(jwksOnly)).toThrow(/^PARLEY_URL_SIGNING_SECRET: required with PARLEY_SMTP_URL/);
    expect(() => loadConfig({ ...from, PARLEY_SMTP_URL: 'http://mail.example.com' })).toThrow(ConfigError);
  });

  it('shares fan-out through Redis only between nodes on PostgreSQL', () => {
    expect(loadConfig({ PARLEY_JWT_SECRET: secret }).scaleOut).toEqual({ redisUrl: null });
    const postgres = { PARLEY_JWT_SECRET: secret, DATABASE_URL: 'postgres://db.internal/parley' };
    expect(loadConfig({ ...postgres, PARLEY_REDIS_URL: 'redis://redis.internal:6379' }).scaleOut).toEqual({
      redisUrl: 'redis://redis.internal:6379',
    });
    expect(() =>
      loadConfig({ PARLEY_JWT_SECRET: secret, PARLEY_REDIS_URL: 'redis://redis.internal' }),
    ).toThrow(/^DATABASE_URL: required with PARLEY_REDIS_URL/);
    expect(() => loadConfig({ ...postgres, PARLEY_REDIS_URL: 'http://redis.internal' })).toThrow(
      /PARLEY_REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/,
    );
  });

  it('offers STARTTLS on the SMTP endpoint only with both a key and a certificate it can read', () => {
    const replies = {
      PARLEY_JWT_SECRET: secret,
      PARLEY_SMTP_URL: 'smtp://mail.example.com',
      PARLEY_MAIL_FROM: 'parley@example.com',
      PARLEY_PUBLIC_URL: 'https://chat.example.com',
      PARLEY_REPLY_DOMAIN: 'reply.example.com',
      PARLEY_INBOUND_SMTP_PORT: '2525',
    };
    expect(loadConfig(replies).notifications.replies?.smtp?.tls).toBeNull();
    expect(() => loadConfig({ ...replies, PARLEY_INBOUND_SMTP_TLS_KEY: '/etc/parley/key.pem' })).toThrow(
      /^PARLEY_INBOUND_SMTP_TLS_CERT: the endpoint's TLS needs both/,
    );
    expect(() =>
      loadConfig({
        ...replies,
        PARLEY_INBOUND_SMTP_TLS_KEY: '/nonexistent/key.pem',
        PARLEY_INBOUND_SMTP_TLS_CERT: '/nonexistent/cert.pem',
      }),
    ).toThrow(/^PARLEY_INBOUND_SMTP_TLS_KEY: cannot read \/nonexistent\/key\.pem/);
    const { PARLEY_INBOUND_SMTP_PORT: _, ...withoutPort } = replies;
    expect(() =>
      loadConfig({ ...withoutPort, PARLEY_INBOUND_SMTP_TLS_KEY: 'k', PARLEY_INBOUND_SMTP_TLS_CERT: 'c' }),
    ).toThrow(/^PARLEY_INBOUND_SMTP_PORT: required with PARLEY_INBOUND_SMTP_TLS_KEY/);
  });

  it('serves the full-page chat in the demo, or signed in through the host’s token route, or not at all', () => {
    expect(loadConfig({}).fullPageApp).toEqual({ signIn: 'demo' });
    expect(loadConfig({ PARLEY_JWT_SECRET: secret }).fullPageApp).toBeNull();
    const tokenUrl = 'https://dash.example.com/api/chat/token';
    expect(loadConfig({ PARLEY_JWT_SECRET: secret, PARLEY_APP_TOKEN_URL: tokenUrl }).fullPageApp).toEqual({
      signIn: 'host',
      tokenUrl,
      signInUrl: null,
    });
    const signInUrl = 'https://dash.example.com/login?next={returnTo}';
    expect(
      loadConfig({
        PARLEY_JWT_SECRET: secret,
        PARLEY_APP_TOKEN_URL: tokenUrl,
        PARLEY_APP_SIGN_IN_URL: signInUrl,
      }).fullPageApp,
    ).toEqual({ signIn: 'host', tokenUrl, signInUrl });
    // A host token route says "production": without host keys it refuses rather than start the demo.
    expect(() => loadConfig({ PARLEY_APP_TOKEN_URL: tokenUrl })).toThrow(/PARLEY_APP_TOKEN_URL is set/);
    expect(() => loadConfig({ PARLEY_DEMO: '1', PARLEY_APP_TOKEN_URL: tokenUrl })).toThrow(
      /^PARLEY_APP_TOKEN_URL: the demo signs the full-page chat in with its own login/,
    );
    expect(() => loadConfig({ PARLEY_JWT_SECRET: secret, PARLEY_APP_SIGN_IN_URL: signInUrl })).toThrow(
      /^PARLEY_APP_TOKEN_URL: required with PARLEY_APP_SIGN_IN_URL/,
    );
    expect(() =>
      loadConfig({ PARLEY_JWT_SECRET: secret, PARLEY_APP_TOKEN_URL: 'ftp://dash.example.com/t' }),
    ).toThrow(/PARLEY_APP_TOKEN_URL: expected an http\(s\) URL/);
  });

  it('takes email replies only for a reply domain, and only with email to reply to', () => {
    const email = {
      PARLEY_JWT_SECRET: secret,
      PARLEY_SMTP_URL: 'smtp://mail.example.com',
      PARLEY_MAIL_FROM: 'parley@example.com',
      PARLEY_PUBLIC_URL: 'https://chat.example.com',
    };
    expect(loadConfig(email).notifications.replies).toBeNull();
    expect(() => loadConfig({ ...email, PARLEY_INBOUND_SMTP_PORT: '2525' })).toThrow(
      /^PARLEY_REPLY_DOMAIN: required with PARLEY_INBOUND_SMTP_PORT/,
    );
    expect(() => loadConfig({ PARLEY_JWT_SECRET: secret, PARLEY_REPLY_DOMAIN: 'reply.example.com' })).toThrow(
      /^PARLEY_SMTP_URL: required with PARLEY_REPLY_DOMAIN/,
    );
    expect(() => loadConfig({ ...email, PARLEY_REPLY_DOMAIN: 'not a domain' })).toThrow(ConfigError);
    const replies = loadConfig({
      ...email,
      PARLEY_REPLY_DOMAIN: 'Reply.Example.com',
      PARLEY_INBOUND_SMTP_PORT: '2525',
    }).notifications.replies;
    expect(replies).toMatchObject({ domain: 'reply.example.com', smtp: { host: '0.0.0.0', port: 2525 } });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).database.driver).toBe('pglite');
  });
});
