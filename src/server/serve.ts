// Starts Parley from the environment and stops it gracefully on SIGINT/SIGTERM: what `npm start` and
// `parley start` run.

import type { FastifyBaseLogger } from 'fastify';
import { type ParleyServer, startParley } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';

type Environment = Record<string, string | undefined>;

function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Configuration errors, at load or once the database is open, end the process naming what to set. */
async function start(env: Environment): Promise<{ config: Config; server: ParleyServer }> {
  try {
    const config = loadConfig(env);
    return { config, server: await startParley(config) };
  } catch (error) {
    if (error instanceof ConfigError) exitWith(`Parley cannot start: ${error.message}`);
    throw error;
  }
}

/** What a person starting Parley needs to read, ending with the address to open so it stays in view. */
function startBanner(url: string, { demo, logFormat }: Config, log: FastifyBaseLogger): string {
  if (!demo) return `\nParley is running at ${url} (health at ${url}/healthz)\n\n`;
  const warning = `DEMO MODE: the demo login at ${url} is unauthenticated — anyone who can reach it signs in as any demo user, admins included (set PARLEY_JWT_SECRET or PARLEY_JWKS_URL for a real deployment)`;
  // Log collectors read JSON; a person at the terminal reads the banner below and need not see it twice.
  if (logFormat === 'json') log.warn(warning);
  return [
    '',
    `!!! ${warning}`,
    '',
    'Parley is running with demo data: three organisations, their channels, DMs and order threads.',
    `  Order dashboard with the chat widget  ${url}/demo.html`,
    `  Full-page chat app                    ${url}/`,
    'Pick a demo user, then open a second window as someone from another organisation.',
    '',
    `Open ${url}/demo.html`,
    '',
    '',
  ].join('\n');
}

/** Runs until a signal stops it; a configuration that cannot start ends the process naming what to set. */
export async function serve(env: Environment): Promise<void> {
  const { config, server } = await start(env);
  const log = server.http.log;
  const publicUrl = config.publicUrl ?? server.url;
  process.stdout.write(startBanner(publicUrl, config, log));

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
}
