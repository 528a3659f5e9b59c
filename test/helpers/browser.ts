// Launches the system Chromium for browser tests. Whether there is one was settled by the global setup:
// in CI a missing Chromium fails the run; elsewhere the browser tests skip, so that a laptop without
// Chromium can still run the rest.

import { type Browser, chromium } from 'playwright-core';
import { inject } from 'vitest';
import { chromiumPath } from './test-env.ts';

/** Whether the browser tests run here. */
export const browserAvailable = inject('machine').chromium;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
}
