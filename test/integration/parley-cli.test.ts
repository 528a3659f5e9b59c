// The operator CLI on a real database of each driver: migrations, the demo seed, tokens and API keys a
// real server accepts, exports with tombstones, doctor's verdicts and usage errors; in-process through
// runParleyCli, and once as the real command.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runParleyCli } from '../../src/cli/parley-cli.ts';
import { pingRedis } from '../../src/cli/service-probes.ts';
import type { ExportRecord } from '../../src/server/domain/administration/conversation-export.ts';
import { captureCli } from '../helpers/cli-run.ts';
import { api } from '../helpers/clients.ts';
import { postgresServerAvailable, testDrivers } from '../helpers/drivers.ts';
import {
  createTestStorage,
  startTestServer,
  TEST_JWT_SECRET,
  TEST_SERVER_SETTINGS,
  type TestStorage,
} from '../helpers/server.ts';
import { startSmtpServer } from '../helpers/smtp-server.ts';
import { isCI } from '../helpers/test-env.ts';

const run = promisify(execFile);

/** The Redis of the machine's other suites; where there is none (and not under CI) its test skips. */
const testRedisUrl = 'redis://127.0.0.1:6379';
const redisAvailable = await pingRedis(testRedisUrl, 1000).then(
  () => true,
  () => false,
);

/** Runs the CLI in-process and captures what it prints. */
const parley = (argv: string[], env: Record<string, string>) =>
  captureCli((io) => runParleyCli(argv, env, io));

const records = (jsonLines: string) =>
  jsonLines
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ExportRecord);

/** Nothing a person is meant to read on an expected failure looks like a stack trace. */
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe.each(testDrivers())('the parley CLI on %s', (driver) => {
  let storage: TestStorage;
  let env: Record<string, string>;

  beforeAll(async () => {
    storage = await createTestStorage(driver);
    env = { ...TEST_SERVER_SETTINGS, ...storage.env };
  });
  afterAll(() => storage.destroy());

  it('applies every migration once: a second run applies none', async () => {
    const first = await parley(['migrate'], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('001_init.sql');
    const second = await parley(['migrate'], env);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toMatch(/up to date .*nothing applied/);
    expect(second.stdout).not.toContain('001_init.sql');
  });

  it('seeds the demo once, mints a token and an API key the server accepts, and exports with tombstones', async () => {
    expect(await parley(['seed-demo'], env)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^seeded/),
    });
    expect((await parley(['seed-demo'], env)).stdout).toMatch(/already/);

    const channel = records((await parley(['export', '--all'], env)).stdout).find(
      (record) => record.type === 'conversation' && record.name === 'oracare-team',
    );
    if (channel?.type !== 'conversation') throw new Error('no #oracare-team in the export');
    const before = records((await parley(['export', '--conversation', channel.id], env)).stdout);
    expect(before[0]).toMatchObject({ type: 'conversation', id: channel.id, kind: 'channel' });
    expect(before.slice(1).every((record) => record.type === 'message')).toBe(true);
    const first = before[1];
    if (first?.type !== 'message') throw new Error('no first message');
    expect(first).toMatchObject({ seq: 1, senderId: 'olivia', body: expect.stringContaining('#1234') });

    const key = await parley(['create-api-key', '--name', 'Order system', '--scope', 'records:write'], env);
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/^pk_\w+\.[\w-]+\n$/);
    const ana = await parley(
      ['token', '--user', 'ana', '--org', 'axiom', '--org-kind', 'internal', '--role', 'admin'],
      env,
    );
    const olivia = await parley(
      ['token', '--user', 'olivia', '--org', 'oracare', '--name', 'Olivia Chen'],
      env,
    );
    expect(ana.code).toBe(0);

    const server = await startTestServer(storage);
    try {
      const me = await api(server.url, 'GET', '/api/me', { token: ana.stdout.trim() });
      expect(me).toMatchObject({ status: 200, body: { user: { id: 'ana', role: 'admin', orgId: 'axiom' } } });
      const record = await api(server.url, 'PUT', '/api/records/order/A-1', {
        token: key.stdout.trim(),
        body: { title: 'Order A-1', orgIds: ['axiom'] },
      });
      expect(record.status).toBe(200);
      const deleted = await api(server.url, 'DELETE', `/api/messages/${first.id}`, {
        token: olivia.stdout.trim(),
      });
      expect(deleted.status).toBe(200);
    } finally {
      await server.close();
    }

    const out = join(mkdtempSync(join(tmpdir(), 'parley-export-')), 'export.jsonl');
    try {
      const written = await parley(['export', '--conversation', channel.id, '--out', out], env);
      expect(written).toMatchObject({ code: 0, stdout: '' });
      const file = readFileSync(out, 'utf8');
      expect(file).not.toContain(first.body);
      const after = records(file);
      expect(after.find((record) => 'id' in record && record.id === first.id)).toEqual({
        type: 'tombstone',
        conversationId: channel.id,
        id: first.id,
        seq: 1,
        senderId: 'olivia',
        createdAt: first.createdAt,
        deletedAt: expect.any(String),
      });
      expect(after.at(-1)).toMatchObject({ type: 'change', change: 'message.deleted', messageId: first.id });
      const again = await parley(['export', '--conversation', channel.id, '--out', out], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/--out: cannot write .*EEXIST/);
    } finally {
      rmSync(out, { force: true });
    }

    // ana and olivia have signed in with host tokens since: this is a deployment now.
    const refused = await parley(['seed-demo'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/2 people who signed in with host tokens.*--force/);
    noStack(refused.stderr);
  });

  it('passes doctor on a good configuration', async () => {
    const doctor = await parley(['doctor'], { ...env, PARLEY_PUBLIC_URL: 'https://chat.example.com' });
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(/^ok +config/m);
    expect(doctor.stdout).toMatch(/^ok +database .*migrations are current/m);
    expect(doctor.stdout).not.toMatch(/^fail/m);
  });
});

describe('the parley CLI refusing', () => {
  const base = { ...TEST_SERVER_SETTINGS, PARLEY_DATA_DIR: 'memory://' };

  it('fails doctor on an unreachable DATABASE_URL, naming it', async () => {
    const doctor = await parley(['doctor'], { ...base, DATABASE_URL: 'postgres://127.0.0.1:1/x' });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      /^fail +database +DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1\/x/m,
    );
    noStack(doctor.stdout + doctor.stderr);
  });

  it.runIf(postgresServerAvailable)(
    'fails doctor on an unreachable PARLEY_REDIS_URL, naming it',
    async () => {
      const storage = await createTestStorage('postgres');
      try {
        const doctor = await parley(['doctor'], {
          ...base,
          ...storage.env,
          PARLEY_REDIS_URL: 'redis://:hunter2@127.0.0.1:1',
        });
        expect(doctor.code).toBe(1);
        expect(doctor.stdout).toMatch(/^warn +database .*18 migrations pending \(001_init\.sql … 018_/m);
        expect(doctor.stdout).toMatch(
          /^fail +redis +PARLEY_REDIS_URL: cannot reach Redis at 127\.0\.0\.1:1/m,
        );
        expect(doctor.stdout).not.toContain('hunter2');
      } finally {
        await storage.destroy();
      }
    },
  );

  it('refuses the database commands while a server holds the embedded database, and doctor says so', async () => {
    const storage = await createTestStorage('pglite');
    const server = await startTestServer(storage);
    try {
      const env = { ...TEST_SERVER_SETTINGS, ...storage.env };
      const doctor = await parley(['doctor'], env);
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toMatch(/^fail +data dir +PARLEY_DATA_DIR: .* is in use by Parley process/m);
      expect(doctor.stdout).toMatch(/^warn +database +not checked/m);
      const migrate = await parley(['migrate'], env);
      expect(migrate).toMatchObject({ code: 1, stdout: '' });
      expect(migrate.stderr).toMatch(/^error: PARLEY_DATA_DIR: .* is in use/);
      noStack(migrate.stderr);
    } finally {
      await server.close();
      await storage.destroy();
    }
  });

  it('refuses to export a conversation that does not exist', async () => {
    const exported = await parley(['export', '--conversation', 'no-such-conversation'], base);
    expect(exported).toMatchObject({ code: 1, stdout: '' });
    expect(exported.stderr).toBe('error: no conversation no-such-conversation in this database\n');
  });

  it('passes doctor when SMTP accepts a connection, and fails it naming PARLEY_SMTP_URL when none does', async () => {
    const smtp = await startSmtpServer();
    const mail = { PARLEY_MAIL_FROM: 'parley@example.com', PARLEY_PUBLIC_URL: 'https://chat.example.com' };
    try {
      const good = await parley(['doctor'], { ...base, ...mail, PARLEY_SMTP_URL: smtp.url });
      expect(good.stdout).toMatch(/^ok +smtp +127\.0\.0\.1:\d+ accepts a connection/m);
      expect(good.code, good.stdout).toBe(0);
    } finally {
      await smtp.close();
    }
    const bad = await parley(['doctor'], {
      ...base,
      ...mail,
      PARLEY_SMTP_URL: 'smtp://mailer:hunter2@127.0.0.1:1',
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^fail +smtp +PARLEY_SMTP_URL: 127\.0\.0\.1:1 does not accept a connection/m);
    expect(bad.stdout).not.toContain('hunter2');
  });

  it.runIf(postgresServerAvailable && (redisAvailable || isCI))(
    'passes doctor when Redis answers',
    async () => {
      const storage = await createTestStorage('postgres');
      try {
        await parley(['migrate'], { ...base, ...storage.env });
        const doctor = await parley(['doctor'], { ...base, ...storage.env, PARLEY_REDIS_URL: testRedisUrl });
        expect(doctor.stdout).toMatch(/^ok +redis +127\.0\.0\.1:6379 answers PING/m);
        expect(doctor.stdout).toMatch(/^ok +database/m);
      } finally {
        await storage.destroy();
      }
    },
  );

  it('fails doctor on a configuration that does not load, naming the variable', async () => {
    const doctor = await parley(['doctor'], { ...base, PARLEY_METRICS_HOST: '0.0.0.0' });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/^fail +config +PARLEY_METRICS_PORT/m);
  });

  it('refuses to sign a token without PARLEY_JWT_SECRET, naming it', async () => {
    const { PARLEY_JWT_SECRET: _secret, ...withoutSecret } = base;
    const token = await parley(['token', '--user', 'ana', '--org', 'axiom'], withoutSecret);
    expect(token).toMatchObject({ code: 1, stdout: '' });
    expect(token.stderr).toMatch(/^error: PARLEY_JWT_SECRET/);
  });

  it('answers wrong usage with exit code 2 and the help, without a stack trace', async () => {
    for (const argv of [
      ['no-such-command'],
      [],
      ['token', '--user', 'ana'],
      ['token', '--user', 'ana', '--org', 'axiom', '--role', 'owner'],
      ['migrate', '--bogus'],
      ['export'],
      ['export', '--all', '--conversation', 'c1'],
      ['create-api-key', '--name', 'x', '--scope', 'everything'],
    ]) {
      const result = await parley(argv, base);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toMatch(/usage: parley/);
      expect(result.stdout).toBe('');
      noStack(result.stderr);
    }
  });

  it('prints each command’s help', async () => {
    const help = await parley(['export', '--help'], base);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage: parley export --conversation ID \| --all/);
  });

  it('signs a token the server would verify: its claims, secret, issuer and audience', async () => {
    const token = await parley(['token', '--user', 'ana', '--org', 'axiom', '--ttl', '60'], {
      ...base,
      PARLEY_JWT_ISSUER: 'https://host.example.com',
      PARLEY_JWT_AUDIENCE: 'parley',
    });
    expect(token.code).toBe(0);
    const { jwtVerify } = await import('jose');
    const { payload } = await jwtVerify(token.stdout.trim(), new TextEncoder().encode(TEST_JWT_SECRET), {
      issuer: 'https://host.example.com',
      audience: 'parley',
    });
    expect(payload).toMatchObject({ sub: 'ana', org: 'axiom', role: 'member' });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(60);
  });
});

describe('the parley command', () => {
  it('starts the server with `parley start` and stops it on SIGTERM', async () => {
    const storage = await createTestStorage('pglite');
    const child = spawn('bin/parley.js', ['start'], {
      env: { ...process.env, ...TEST_SERVER_SETTINGS, ...storage.env, PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const read = (chunk: Buffer) => {
          output += chunk;
          const running = /Parley is running at (http:\/\/\S+) /.exec(output);
          if (running?.[1]) resolve(running[1]);
        };
        child.stdout.on('data', read);
        child.stderr.on('data', read);
        child.once('exit', (code) => reject(new Error(`parley start exited with ${code}: ${output}`)));
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await storage.destroy();
    }
  }, 60_000);

  it('runs as `npm run parley -- --help` and lists every command', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'parley', '--', '--help'], {
      cwd: process.cwd(),
    });
    for (const command of [
      'start',
      'migrate',
      'seed-demo',
      'token',
      'create-api-key',
      'export',
      'copy-to-postgres',
      'doctor',
      'admin',
    ]) {
      expect(stdout).toContain(`  ${command} `);
    }
  });
});
