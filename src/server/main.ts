// Starts Parley from the environment and stops it gracefully on SIGINT/SIGTERM.

import { type ParleyServer, startParley } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';

function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Configuration errors, at load or once the database is open, end the process naming what to set. */
async function start(): Promise<{ config: Config; server: ParleyServer }> {
  try {
    const config = loadConfig();
    return { config, server: await startParley(config) };
  } catch (error) {
    if (error instanceof ConfigError) exitWith(`Parley cannot start: ${error.message}`);
    throw error;
  }
}

const { config, server } = await start();
const log = server.http.log;
const publicUrl = config.publicUrl ?? server.url;
if (config.demo) {
  const warning = `DEMO MODE: the demo login at ${publicUrl} is unauthenticated — anyone who can reach it signs in as any demo user, admins included (set PARLEY_JWT_SECRET or PARLEY_JWKS_URL for a real deployment)`;
  log.warn(warning);
  process.stdout.write(`\n!!! ${warning}\n`);
}
process.stdout.write(
  `\nParley is running at ${publicUrl}\n${
    config.demo
      ? `Open ${publicUrl}/ (full-page chat) or ${publicUrl}/demo.html (an order dashboard with the widget); pick a demo user, and a second window as another user.\n`
      : `Host apps connect with tokens signed by their login; health at ${publicUrl}/healthz\n`
  }\n`,
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
