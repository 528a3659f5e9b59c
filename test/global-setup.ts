// Runs once before any test file: finds out which of the parts some suites need this machine has (a
// PostgreSQL server, Chromium, PostgreSQL's server programs for private clusters, nginx and redis-server
// for the scale-out suite) and tells the test files.
// Under CI every part is required and a missing one fails the run; elsewhere the suites that need it skip,
// with one line each saying what was skipped and how to run it.
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { postgresServerProblem } from './helpers/postgres.ts';
import { postgresProgramsProblem } from './helpers/postgres-programs.ts';
import { chromiumPath, isCI, nginxPath, redisServerPath } from './helpers/test-env.ts';

export interface MachineParts {
  postgresServer: boolean;
  chromium: boolean;
  postgresPrograms: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    machine: MachineParts;
  }
}

/** Undefined if the part is here; else a line on what does not run without it, why, and how to give it. */
async function missing(suites: string, problem: Promise<string | undefined>, remedy: string) {
  const why = await problem;
  return why === undefined ? undefined : `${suites} — ${why}; ${remedy}`;
}

export default async function setup(project: TestProject): Promise<void> {
  const [noPostgresServer, noPostgresPrograms, noChromium, noScaleOutParts] = await Promise.all([
    missing(
      'PostgreSQL suites (the postgres runs of the integration suites, the fault suites on the server)',
      postgresServerProblem(),
      'set DATABASE_URL or start PostgreSQL',
    ),
    missing(
      'fault suites on a private PostgreSQL cluster',
      postgresProgramsProblem(),
      'install postgresql (initdb, pg_ctl) or set PARLEY_TEST_POSTGRES_BIN',
    ),
    missing(
      'browser tests',
      Promise.resolve(existsSync(chromiumPath) ? undefined : `no Chromium at ${chromiumPath}`),
      'install chromium or set PARLEY_TEST_CHROMIUM',
    ),
    missing(
      'the scale-out suite (three nodes behind nginx on a Redis of its own)',
      Promise.resolve(
        existsSync(nginxPath) && existsSync(redisServerPath)
          ? undefined
          : `no ${nginxPath} or ${redisServerPath}`,
      ),
      'install nginx-light and redis-server',
    ),
  ]);
  const skipped = [noPostgresServer, noPostgresPrograms, noChromium, noScaleOutParts].filter(
    (line) => line !== undefined,
  );
  if (isCI && skipped.length > 0) {
    throw new Error(
      `CI requires every part of the test machine:\n${skipped.map((m) => `  ${m}`).join('\n')}`,
    );
  }
  for (const line of skipped) console.warn(`Skipped: ${line} (CI requires it)`);
  project.provide('machine', {
    postgresServer: noPostgresServer === undefined,
    postgresPrograms: noPostgresPrograms === undefined,
    chromium: noChromium === undefined,
  });
}
