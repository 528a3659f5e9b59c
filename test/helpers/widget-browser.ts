// One Parley in demo mode and one Chromium for a browser test file, and the steps a user takes in the widget:
// sign in as a demo user, open the panel, open a conversation, send, judge the page with axe.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type ParleyServer, type StartOptions, startParley } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { launchBrowser } from './browser.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const WIDGET_BUNDLE = join(ROOT, 'dist', 'widget', 'widget.js');
/** Where browser tests leave their screenshots (docs/screenshots holds the ones the docs show). */
export const ARTIFACTS = join(ROOT, 'test-artifacts');
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const BROWSER_TEST_TIMEOUT = 60_000;
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
export const MOBILE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/** The four looks every screen must pass axe in. */
export const LOOKS: { name: string; options: BrowserContextOptions }[] = [
  { name: 'desktop-light', options: { ...DESKTOP, colorScheme: 'light' } },
  { name: 'desktop-dark', options: { ...DESKTOP, colorScheme: 'dark' } },
  { name: 'mobile-light', options: { ...MOBILE, colorScheme: 'light' } },
  { name: 'mobile-dark', options: { ...MOBILE, colorScheme: 'dark' } },
];

export interface DemoBrowser {
  readonly server: ParleyServer;
  readonly browser: Browser;
  /** A browser tab signed in as a demo user (the token sits in sessionStorage, as the demo login leaves it). */
  openAs(userId: string, path: string, options?: BrowserContextOptions): Promise<Page>;
  /** A fresh demo token for a user, for tests that act through the API beside the browser. */
  tokenFor(userId: string): Promise<string>;
}

/**
 * Starts a demo-mode Parley (its own data directory, limits opened wide for scripted users) and a Chromium
 * before the file's tests, and closes both after. Read the fields inside tests, not at collection time.
 */
export function useDemoBrowser(
  environment: Record<string, string> = {},
  startOptions: StartOptions = {},
): DemoBrowser {
  let server: ParleyServer | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(WIDGET_BUNDLE)) {
      throw new Error(`${WIDGET_BUNDLE} is missing: run npm run build (npm test does it in pretest)`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
    server = await startParley(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        PARLEY_DEMO: '1',
        PARLEY_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        PARLEY_RATE_SENDS_PER_10S: '1000',
        PARLEY_RATE_CONNECTS_PER_10S: '1000',
        PARLEY_RATE_WRITES_PER_MINUTE: '10000',
        PARLEY_OVERLOAD_LAG_MS: '0',
        ...environment,
      }),
      startOptions,
    );
    browser = await launchBrowser();
  }, BROWSER_TEST_TIMEOUT);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, BROWSER_TEST_TIMEOUT);

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} is not started yet: use it inside a test`);
    return value;
  };

  const demo: DemoBrowser = {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async tokenFor(userId) {
      const response = await fetch(`${demo.server.url}/api/demo/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      if (!response.ok) throw new Error(`demo login as ${userId} failed: ${response.status}`);
      return ((await response.json()) as { token: string }).token;
    },
    async openAs(userId, path, options = DESKTOP) {
      const token = await demo.tokenFor(userId);
      const context = await demo.browser.newContext({ ...options, baseURL: demo.server.url });
      contexts.push(context);
      await context.addInitScript((value) => sessionStorage.setItem('parley-demo-token', value), token);
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`[${userId}] page error:`, error));
      await page.goto(path);
      await page.locator('parley-chat .root > *').first().waitFor();
      return page;
    },
  };
  return demo;
}

export const launcher = (page: Page) => page.locator('parley-chat .launcher');

/** Waits until the widget has synced (connected, conversations listed): the badge then counts everything. */
export async function synced(page: Page): Promise<void> {
  await launcher(page).click();
  await page.locator('parley-chat .conversation').first().waitFor();
  await expect.poll(() => page.locator('parley-chat .status').textContent()).toBe('Connected');
  await launcher(page).click();
}

export async function badgeCount(page: Page): Promise<number> {
  const badge = page.locator('parley-chat .launcher-badge');
  return (await badge.count()) === 0 ? 0 : Number(await badge.textContent());
}

/**
 * Once the widget is drawn, opens the panel if it is closed, then the first conversation whose list entry shows the title (going back
 * to the list first when a thread fills the panel, as after a reload brings the last one back).
 */
export async function openConversation(page: Page, title: string): Promise<void> {
  // A host page loads the widget's script async: wait until it has drawn its launcher (or, full-page, its list).
  await page
    .locator('parley-chat .launcher, parley-chat .conversation')
    .first()
    .waitFor({ state: 'attached' });
  if ((await launcher(page).count()) > 0 && (await launcher(page).getAttribute('aria-expanded')) !== 'true')
    await launcher(page).click();
  const entry = page.locator('parley-chat .conversation', { hasText: title }).first();
  const back = page.locator('parley-chat .pane-main .back');
  if (!(await entry.isVisible()) && (await back.isVisible())) await back.click();
  await entry.click();
  await page.locator('parley-chat textarea').waitFor();
}

export async function send(page: Page, text: string): Promise<void> {
  const box = page.locator('parley-chat textarea');
  await box.fill(text);
  await box.press('Enter');
}

/**
 * Clicks "Chat about this order" on the demo dashboard and waits for the order's thread in the widget. The
 * docked panel leaves the table free; on a phone, where it fills the screen, it is closed first.
 */
export async function chatAboutOrder(page: Page, orderId: string): Promise<void> {
  const phone = (page.viewportSize()?.width ?? 0) < 640;
  if (phone && (await launcher(page).getAttribute('aria-expanded')) === 'true')
    await page.locator('parley-chat .header button[aria-label="Close chat"]').click();
  await page.locator(`tr[data-order="${orderId}"] button`, { hasText: 'Chat about this order' }).click();
  const title = page.locator('parley-chat #parley-thread-title');
  await expect.poll(() => title.textContent()).toContain(`Order #${orderId}`);
}

export const bubbles = (page: Page, text: string) => page.locator('parley-chat .bubble', { hasText: text });

export async function screenshot(page: Page, name: string): Promise<void> {
  // Finite animations (the panel opening) are taken at their end state, endless ones (typing dots) at their start.
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), animations: 'disabled' });
}

/**
 * axe's violations inside the widget — or on the whole page, the host's own markup included, with `'page'` —
 * one readable line each (an empty list is a pass).
 */
export async function axeViolations(page: Page, scope: 'widget' | 'page' = 'widget'): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  return page.evaluate(async (scope) => {
    const axe = (window as unknown as { axe: { run(context: Element): Promise<AxeResults> } }).axe;
    const host = document.querySelector('parley-chat');
    if (!host && scope === 'widget') throw new Error('no <parley-chat> element on the page');
    // Colours are judged as they settle: mid-way through the panel's fade-in every colour is paler.
    const settling = (host?.shadowRoot?.getAnimations() ?? []).filter(
      (animation) => animation.effect?.getComputedTiming().iterations !== Number.POSITIVE_INFINITY,
    );
    await Promise.all(settling.map((animation) => animation.finished.catch(() => undefined)));
    const results = await axe.run(scope === 'page' || !host ? document.documentElement : host);
    return results.violations.map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n` +
        violation.nodes
          .map((node) => `    ${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`)
          .join('\n'),
    );
    interface AxeResults {
      violations: {
        id: string;
        impact: string;
        help: string;
        nodes: { target: unknown; failureSummary?: string }[];
      }[];
    }
  }, scope);
}

/** The id of a conversation a demo user is in, by its name, as the API lists it. */
export async function conversationNamed(demo: DemoBrowser, userId: string, name: string): Promise<string> {
  const response = await fetch(`${demo.server.url}/api/conversations`, {
    headers: { authorization: `Bearer ${await demo.tokenFor(userId)}` },
  });
  const { conversations } = (await response.json()) as {
    conversations: { id: string; name: string | null }[];
  };
  const found = conversations.find((conversation) => conversation.name === name);
  if (!found) throw new Error(`${userId} is not in a conversation named ${name}`);
  return found.id;
}

/** Sends as a demo user over the API, as another person's device would: it must be stored. */
export async function sendAs(demo: DemoBrowser, userId: string, conversationId: string, body: string) {
  const response = await fetch(`${demo.server.url}/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await demo.tokenFor(userId)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ clientMsgId: randomUUID(), body }),
  });
  expect(response.status).toBe(201);
}
