import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Finds out once whether this machine has PostgreSQL, Chromium and initdb; suites that need one skip without it.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A loaded machine (the whole suite, two files at a time) can take seconds to show what a poll waits for.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // Integration files each start servers and databases; two at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
