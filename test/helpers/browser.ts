// Launches the system Chromium for browser tests. In CI a missing Chromium fails the run; elsewhere the
// browser tests skip with a message saying why, so that a laptop without Chromium can still run the rest.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether the browser tests run here; throws in CI when Chromium is missing, which must never pass quietly. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`Chromium is required in CI for the browser tests but ${CHROMIUM_PATH} does not exist`);
  }
  console.warn(`Skipping the browser tests: ${CHROMIUM_PATH} does not exist (install chromium to run them).`);
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
