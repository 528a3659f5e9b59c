// Starts Parley from the environment and stops it gracefully on SIGINT/SIGTERM.

import { startParley } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) exitWith(`Parley cannot start: ${error.message}`);
  throw error;
}

const server = await startParley(config);
const log = server.http.log;
if (config.secretGenerated) {
  log.warn(
    'PARLEY_JWT_SECRET is not set: demo mode with a generated secret; tokens will not survive a restart',
  );
}
const publicUrl = config.publicUrl ?? server.url;
process.stdout.write(
  `\nParley is running at ${publicUrl}\n${
    config.demo
      ? `Open ${publicUrl}/ (full-page chat) or ${publicUrl}/demo.html (an order dashboard with the widget); pick a demo user, and a second window as another user.\n`
      : `Host apps connect with tokens signed by PARLEY_JWT_SECRET; health at ${publicUrl}/healthz\n`
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
