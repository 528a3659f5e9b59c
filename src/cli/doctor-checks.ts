// What `parley doctor` checks, each a function of the loaded configuration that says ok, warn or fail and
// what to do about it. A check never throws: whatever goes wrong inside it is its failure.
import { existsSync } from 'node:fs';
import { lockDataDir } from '../server/app/data-dir-lock.ts';
import { isLoopback } from '../server/config/values.ts';
import type { Config } from '../server/config.ts';
import { migrationPlan } from '../server/store/migrate.ts';
import { describeDatabase, openDatabaseFor } from './configured-database.ts';
import type { CliIo } from './operator-command.ts';
import { endpointOf, pingRedis, verifySmtp } from './service-probes.ts';

export interface CheckResult {
  status: 'ok' | 'warn' | 'fail';
  check: string;
  detail: string;
}

/** Long enough for a healthy service across a data centre, short enough for a person waiting. */
const PROBE_TIMEOUT_MS = 3000;

const ok = (check: string, detail: string): CheckResult => ({ status: 'ok', check, detail });
const warn = (check: string, detail: string): CheckResult => ({ status: 'warn', check, detail });
const fail = (check: string, detail: string): CheckResult => ({ status: 'fail', check, detail });

/** A data directory that does not exist yet: the first start creates it, and doctor must not. */
function isNewDataDir(database: Config['database']): boolean {
  return (
    database.driver === 'pglite' && !database.dataDir.startsWith('memory://') && !existsSync(database.dataDir)
  );
}

export async function checkDataDir(config: Config): Promise<CheckResult> {
  const { database } = config;
  if (database.driver !== 'pglite') return ok('data dir', 'none: DATABASE_URL names the database');
  if (database.dataDir.startsWith('memory://')) return ok('data dir', 'none: the database lives in memory');
  if (isNewDataDir(database))
    return ok('data dir', `${database.dataDir} does not exist yet: the first start creates it`);
  try {
    // Taken and let go at once: a lock that cannot be taken is one a starting server could not take either.
    const lock = await lockDataDir(database.dataDir, () => {});
    await lock.release();
    return ok('data dir', `${database.dataDir} is not in use by another process`);
  } catch (error) {
    return fail('data dir', (error as Error).message);
  }
}

export async function checkDatabase(config: Config, io: CliIo, dataDirUsable: boolean): Promise<CheckResult> {
  const where = describeDatabase(config.database);
  if (!dataDirUsable) return warn('database', `not checked: ${where} is in use (see data dir)`);
  if (isNewDataDir(config.database)) return ok('database', `${where} is new: the first start migrates it`);
  let db: Awaited<ReturnType<typeof openDatabaseFor>>;
  try {
    db = await openDatabaseFor(config, io);
  } catch (error) {
    return fail('database', (error as Error).message);
  }
  try {
    const { pending, changed } = await migrationPlan(db);
    if (changed.length > 0) {
      return fail(
        'database',
        `migration ${changed.join(', ')} changed after it was applied to ${where}: restore the file as it was and add a new migration instead`,
      );
    }
    if (pending.length > 0) {
      const names = pending.map((migration) => migration.name);
      const shown = names.length > 3 ? `${names[0]} … ${names.at(-1)}` : names.join(', ');
      return warn(
        'database',
        `${where}: ${pending.length} migrations pending (${shown}): run \`parley migrate\` (start applies them too)`,
      );
    }
    return ok('database', `${where} answers; its migrations are current`);
  } catch (error) {
    return fail('database', `${where}: ${(error as Error).message}`);
  } finally {
    await db.close();
  }
}

export async function checkRedis(config: Config): Promise<CheckResult> {
  const url = config.scaleOut.redisUrl;
  if (!url) return ok('redis', 'not used: PARLEY_REDIS_URL is unset (one node)');
  const endpoint = endpointOf(url, 6379);
  try {
    await pingRedis(url, PROBE_TIMEOUT_MS);
    return ok('redis', `${endpoint} answers PING`);
  } catch (error) {
    return fail('redis', `PARLEY_REDIS_URL: cannot reach Redis at ${endpoint} (${(error as Error).message})`);
  }
}

export async function checkSmtp(config: Config): Promise<CheckResult> {
  const email = config.notifications.email;
  if (!email) return ok('smtp', 'not used: PARLEY_SMTP_URL is unset (no email notifications)');
  const endpoint = endpointOf(email.smtpUrl, email.smtpUrl.startsWith('smtps:') ? 465 : 587);
  try {
    await verifySmtp(email.smtpUrl, Math.min(email.timeoutMs, PROBE_TIMEOUT_MS));
    return ok('smtp', `${endpoint} accepts a connection`);
  } catch (error) {
    return fail(
      'smtp',
      `PARLEY_SMTP_URL: ${endpoint} does not accept a connection (${(error as Error).message})`,
    );
  }
}

export function checkPublicUrl(config: Config): CheckResult {
  if (config.publicUrl) return ok('public url', config.publicUrl);
  if (config.demo)
    return ok('public url', 'unset: links point where this machine listens (fine for the demo)');
  return warn(
    'public url',
    'PARLEY_PUBLIC_URL is unset: links in notifications point where this process listens; set it to the address people open',
  );
}

export function checkMetrics(config: Config): CheckResult {
  const { metrics } = config;
  if (!metrics) {
    return config.demo
      ? ok('metrics', 'off')
      : warn(
          'metrics',
          'off: set PARLEY_METRICS_TOKEN (and PARLEY_METRICS_PORT for a listener of its own) for Prometheus',
        );
  }
  if (!metrics.listen) return ok('metrics', "at /metrics on Parley's port, behind PARLEY_METRICS_TOKEN");
  const { host, port } = metrics.listen;
  const guard = metrics.token ? 'behind PARLEY_METRICS_TOKEN' : 'without a token, on loopback only';
  return ok('metrics', `at http://${host}:${port}/metrics, ${guard}`);
}

export function checkDemoMode(config: Config): CheckResult {
  if (!config.demo) return ok('demo mode', 'off: host tokens are verified');
  if (!isLoopback(config.host)) {
    return warn(
      'demo mode',
      `on, listening on ${config.host}: anyone who reaches it signs in as any demo user, admins included; set PARLEY_JWT_SECRET or PARLEY_JWKS_URL, or HOST=127.0.0.1`,
    );
  }
  return ok('demo mode', `on, reachable from this machine only (${config.host})`);
}
