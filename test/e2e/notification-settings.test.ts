// A user's notification settings in the widget against a real Parley in demo mode: opened from the
// conversation list's header (its body from the extras chunk), each change saved at once with only that
// field, kept across a reload and through the API, from the mouse and the keyboard; the test email says why
// it was not sent, and is not offered to a user without an email address; a refused change goes back; and
// the panel passes axe in every look.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NotificationSettings } from '../../src/protocol/notifications.ts';
import { browserAvailable } from '../helpers/browser.ts';
import {
  axeViolations,
  DESKTOP,
  LOOKS,
  launcher,
  screenshot,
  BROWSER_TEST_TIMEOUT as TEST_TIMEOUT,
  useDemoBrowser,
} from '../helpers/widget-browser.ts';

const SETTINGS_PATH = '/api/me/notification-settings';
const inWidget = (page: Page, selector: string, hasText?: string | RegExp) =>
  page.locator(`parley-chat ${selector}`, hasText === undefined ? {} : { hasText });
const saveStatus = (page: Page) => inWidget(page, '.save-status');

async function openSettings(page: Page): Promise<void> {
  if ((await launcher(page).count()) > 0 && (await launcher(page).getAttribute('aria-expanded')) !== 'true')
    await launcher(page).click();
  await page.getByRole('button', { name: 'Notification settings' }).click();
  // The user's own level first; an admin's panel shows the defaults' below it.
  await page.getByRole('radio', { name: 'Mentions only' }).first().waitFor();
}

/** Whether `element` has the focus inside the widget's shadow root. */
const hasFocusIn = (element: Element) => (element.getRootNode() as ShadowRoot).activeElement === element;

/** Makes a change and waits for the panel to say it was saved. */
async function saved(page: Page, change: () => Promise<void>): Promise<void> {
  await change();
  await expect.poll(() => saveStatus(page).textContent()).toBe('Saved');
}

describe('the notification settings in the bundles', () => {
  it('are in the extras chunk, and only their way in is in the main bundle', () => {
    const dist = join(import.meta.dirname, '..', '..', 'dist', 'widget');
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as {
      file: string;
      extras: { file: string };
    };
    const main = readFileSync(join(dist, manifest.file), 'utf8');
    const chunk = readFileSync(join(dist, manifest.extras.file), 'utf8');
    expect(main).toContain('Notification settings');
    for (const text of ['Hold push and email during quiet hours', 'Send me a test email']) {
      expect(main).not.toContain(text);
      expect(chunk).toContain(text);
    }
  });
});

describe.runIf(browserAvailable)('notification settings in the widget', () => {
  const demo = useDemoBrowser();

  it(
    'saves each change alone, at once, and keeps it across a reload and in the API',
    async () => {
      const page = await demo.openAs('raj', '/demo.html', { ...DESKTOP, timezoneId: 'Europe/Berlin' });
      const patches: unknown[] = [];
      page.on('request', (request) => {
        if (request.method() === 'PATCH' && request.url().endsWith(SETTINGS_PATH))
          patches.push(request.postDataJSON());
      });
      await openSettings(page);
      expect(await page.getByRole('radio', { name: /Direct messages/ }).isChecked()).toBe(true);

      await saved(page, () => page.getByRole('radio', { name: 'Mentions only' }).check());
      await saved(page, async () => {
        await page.getByRole('combobox', { name: 'After' }).selectOption({ label: '30 min' });
      });
      await saved(page, () => page.getByRole('checkbox', { name: /quiet hours/ }).check());
      expect(await inWidget(page, '.notification-settings').textContent()).toContain(
        'Times in Europe/Berlin.',
      );
      await saved(page, () => page.getByLabel('From').fill('23:15'));
      await saved(page, () => page.getByLabel('Until').fill('06:45'));
      expect(patches).toEqual([
        { level: 'mentions' },
        { emailDelaySeconds: 1800 },
        { quietHours: { startMinute: 1320, endMinute: 420, timeZone: 'Europe/Berlin' } },
        { quietHours: { startMinute: 1395, endMinute: 420, timeZone: 'Europe/Berlin' } },
        { quietHours: { startMinute: 1395, endMinute: 405, timeZone: 'Europe/Berlin' } },
      ]);
      expect(await inWidget(page, '.notification-settings').textContent()).toContain(
        'Reading a conversation anywhere',
      );

      // Demo mode sends no email: the button is offered (Raj has an address) and says why nothing went.
      const testEmail = page.getByRole('button', { name: 'Send me a test email' });
      expect(await testEmail.isEnabled()).toBe(true);
      await testEmail.click();
      await expect
        .poll(() => inWidget(page, '.test-email [role=status]').textContent())
        .toMatch(/^No test email was sent: .*PARLEY_SMTP_URL/);
      await screenshot(page, 'notification-settings');

      const response = await fetch(`${demo.server.url}${SETTINGS_PATH}`, {
        headers: { authorization: `Bearer ${await demo.tokenFor('raj')}` },
      });
      const { settings } = (await response.json()) as { settings: NotificationSettings };
      expect(settings).toMatchObject({
        level: 'mentions',
        emailEnabled: true,
        emailDelaySeconds: 1800,
        quietHours: { startMinute: 1395, endMinute: 405, timeZone: 'Europe/Berlin' },
      });

      await page.reload();
      await page.locator('parley-chat .root > *').first().waitFor();
      await openSettings(page);
      expect(await page.getByRole('radio', { name: 'Mentions only' }).isChecked()).toBe(true);
      expect(await page.getByRole('combobox', { name: 'After' }).inputValue()).toBe('1800');
      expect(await page.getByLabel('From').inputValue()).toBe('23:15');
      expect(await page.getByLabel('Until').inputValue()).toBe('06:45');

      await saved(page, () => page.getByRole('checkbox', { name: /quiet hours/ }).uncheck());
      expect(await page.getByLabel('From').count()).toBe(0);
      expect(patches.at(-1)).toEqual({ quietHours: null });
    },
    TEST_TIMEOUT,
  );

  it(
    'lets an internal admin set the defaults for everyone, below their own settings, and no one else',
    async () => {
      const page = await demo.openAs('olivia', '/demo.html');
      await openSettings(page);
      expect(await inWidget(page, '.notification-defaults').count()).toBe(0);

      const admin = await demo.openAs('ana', '/demo.html');
      await openSettings(admin);
      const defaults = admin.getByRole('region', { name: 'Defaults for everyone' });
      await defaults.getByRole('radio', { name: 'Mentions only' }).waitFor();
      expect(await defaults.getByRole('radio', { name: /Direct messages/ }).isChecked()).toBe(true);
      const status = defaults.getByRole('status');
      await defaults.getByRole('radio', { name: 'Mentions only' }).check();
      await expect.poll(() => status.textContent()).toBe('Saved');
      await defaults.getByRole('combobox', { name: 'After' }).selectOption({ label: '1 h' });
      await expect.poll(() => status.textContent()).toBe('Saved');
      // Her own settings stay as they were.
      const own = admin.getByRole('group', { name: 'Notify me about' });
      expect(await own.getByRole('radio', { name: /Direct messages/ }).isChecked()).toBe(true);
      expect(await axeViolations(admin)).toEqual([]);

      const bearer = (user: string) =>
        demo.tokenFor(user).then((token) => ({ authorization: `Bearer ${token}` }));
      const stored = await fetch(`${demo.server.url}/api/admin/notification-defaults`, {
        headers: await bearer('ana'),
      });
      expect((await stored.json()).defaults).toMatchObject({ level: 'mentions', emailDelaySeconds: 3600 });
      // Someone who never chose gets them: Sam has not opened his settings.
      const sam = await fetch(`${demo.server.url}${SETTINGS_PATH}`, { headers: await bearer('sam') });
      expect((await sam.json()).settings).toMatchObject({ level: 'mentions', emailDelaySeconds: 3600 });

      await defaults.getByRole('radio', { name: /Direct messages/ }).check();
      await expect.poll(() => status.textContent()).toBe('Saved');
      await defaults.getByRole('combobox', { name: 'After' }).selectOption({ label: '10 min' });
      await expect.poll(() => status.textContent()).toBe('Saved');
    },
    TEST_TIMEOUT,
  );

  it(
    'works from the keyboard: Enter opens it, focus moves in, arrows change the level',
    async () => {
      const page = await demo.openAs('olivia', '/demo.html');
      await launcher(page).click();
      const bell = page.getByRole('button', { name: 'Notification settings' });
      await bell.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('radio', { name: 'Mentions only' }).waitFor();
      expect(await page.getByRole('button', { name: 'Back to conversations' }).evaluate(hasFocusIn)).toBe(
        true,
      );
      await page.getByRole('radio', { name: /Direct messages/ }).focus();
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => saveStatus(page).textContent()).toBe('Saved');
      expect(await page.getByRole('radio', { name: 'Mentions only' }).isChecked()).toBe(true);
    },
    TEST_TIMEOUT,
  );

  it(
    'a refused change goes back and says why',
    async () => {
      const page = await demo.openAs('sam', '/demo.html');
      await openSettings(page);
      await page.getByRole('checkbox', { name: /quiet hours/ }).check();
      await expect.poll(() => saveStatus(page).textContent()).toBe('Saved');
      // Quiet hours that end when they start are refused by the server.
      await page.getByLabel('From').fill('07:00');
      await expect.poll(() => saveStatus(page).textContent()).toMatch(/^Not saved: /);
      expect(await page.getByLabel('From').inputValue()).toBe('22:00');
    },
    TEST_TIMEOUT,
  );

  it(
    'does not offer the test email to a user without an email address, and says why',
    async () => {
      const page = await demo.openAs('sam', '/demo.html');
      // Every demo user has an address: the settings as the server would answer for one without.
      await page.route(`**${SETTINGS_PATH}`, async (route) => {
        if (route.request().method() !== 'GET') return route.continue();
        const answer = await route.fetch();
        const body = (await answer.json()) as { settings: NotificationSettings };
        await route.fulfill({
          response: answer,
          json: { settings: { ...body.settings, hasEmailAddress: false } },
        });
      });
      await openSettings(page);
      const testEmail = page.getByRole('button', { name: 'Send me a test email' });
      expect(await testEmail.isDisabled()).toBe(true);
      expect(await testEmail.getAttribute('aria-describedby')).toBe('parley-no-email-address');
      expect(await inWidget(page, '#parley-no-email-address').textContent()).toContain('no email address');
    },
    TEST_TIMEOUT,
  );

  for (const look of LOOKS) {
    it(
      `has no axe violations (${look.name})`,
      async () => {
        const page = await demo.openAs('ana', '/demo.html', look.options);
        await openSettings(page);
        // With quiet hours on (from the look before, or now), so that their times are judged too.
        await page.getByRole('checkbox', { name: /quiet hours/ }).check();
        await page.getByLabel('From').waitFor();
        const found = await axeViolations(page);
        if (look.name.startsWith('mobile')) await screenshot(page, `notification-settings-${look.name}`);
        expect(found, found.join('\n')).toEqual([]);
      },
      TEST_TIMEOUT,
    );
  }
});
