// Running channels in the widget against a real Parley in demo mode: a staff member creates a channel and
// invites a client, who sees it live (in the full-page app); renames reach the other side live; members are
// added, removed and leave; the channel is archived; refusals show as the server words them; a client is
// never offered "New channel"; and the new screens pass axe in every look.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
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

const run = Math.random().toString(36).slice(2, 8);
const inWidget = (page: Page, selector: string, hasText?: string | RegExp) =>
  page.locator(`parley-chat ${selector}`, hasText === undefined ? {} : { hasText });
const listed = (page: Page, name: string) => inWidget(page, '.conversation', `#${name}`);

async function openPanel(page: Page): Promise<void> {
  if ((await launcher(page).count()) > 0 && (await launcher(page).getAttribute('aria-expanded')) !== 'true')
    await launcher(page).click();
  await inWidget(page, '.conversation').first().waitFor();
}

/** Creates a channel from the channel browser, inviting `invited` (display names); ends in its thread. */
async function createChannel(
  page: Page,
  name: string,
  invited: string[],
  visibility: 'Public' | 'Private',
): Promise<void> {
  await openPanel(page);
  await inWidget(page, 'button', 'Browse channels').click();
  await page.getByRole('button', { name: 'New channel' }).click();
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('radio', { name: /Our team and the organisations/ }).check();
  await page.getByRole('radio', { name: new RegExp(`^${visibility}:`) }).check();
  for (const person of invited) await inWidget(page, '.chooser .person', person).click();
  await page.getByRole('button', { name: 'Create channel' }).click();
  await expect.poll(() => inWidget(page, '#parley-thread-title').textContent()).toContain(name);
}

async function openSettings(page: Page, name: string): Promise<void> {
  const thread = inWidget(page, '#parley-thread-title');
  if (!(await thread.isVisible()) || !(await thread.textContent())?.includes(name)) {
    await openPanel(page);
    await listed(page, name).first().click();
  }
  await page.getByRole('button', { name: 'Channel settings' }).click();
  await inWidget(page, '.member').first().waitFor();
}

describe.runIf(browserAvailable)('running channels in the widget', () => {
  const demo = useDemoBrowser();

  it(
    'staff create a channel, invite a client who sees it and its renames live, manage members and archive it',
    async () => {
      const [sam, olivia] = await Promise.all([demo.openAs('sam', '/demo.html'), demo.openAs('olivia', '/')]);
      const name = `launch-${run}`;
      await createChannel(sam, name, ['Olivia Chen'], 'Private');
      await listed(olivia, name).waitFor();

      // A refusal is shown as the server words it.
      await openSettings(sam, name);
      const nameBox = sam.getByRole('textbox', { name: 'Name' });
      await nameBox.fill('oracare-team');
      await sam.getByRole('button', { name: 'Rename' }).click();
      await expect
        .poll(() => inWidget(sam, '.settings [role=alert]').textContent())
        .toContain('already exists');

      const renamed = `renamed-${run}`;
      await nameBox.fill(renamed);
      await nameBox.press('Enter');
      await expect.poll(() => inWidget(sam, '#parley-settings-title').textContent()).toBe(`#${renamed}`);
      await listed(olivia, renamed).waitFor();
      expect(await listed(olivia, name).count()).toBe(0);

      // Invite through the people picker, then remove.
      await sam.getByRole('button', { name: 'Add people' }).click();
      await inWidget(sam, '.chooser .person', 'Omar Haddad').click();
      await sam.getByRole('button', { name: 'Add 1' }).click();
      const omarRow = inWidget(sam, '.member', 'Omar Haddad');
      await expect.poll(() => omarRow.textContent()).toContain('Oracare · viewer');
      await screenshot(sam, 'channel-settings-desktop');
      await sam.getByRole('button', { name: 'Remove Omar Haddad from the channel' }).click();
      await expect.poll(() => omarRow.count()).toBe(0);

      // The client sees the members but may not change them, and leaves.
      await openSettings(olivia, renamed);
      await expect.poll(() => inWidget(olivia, '.member').count()).toBe(2);
      expect(await inWidget(olivia, '.member button').count()).toBe(0);
      expect(await olivia.getByRole('textbox', { name: 'Name' }).count()).toBe(0);
      expect(await olivia.getByRole('button', { name: 'Archive channel' }).count()).toBe(0);
      await olivia.getByRole('button', { name: 'Leave channel' }).click();
      await expect.poll(() => listed(olivia, renamed).count()).toBe(0);
      await expect.poll(() => inWidget(sam, '.member').count()).toBe(1);

      // Archived: readable, not writable, and it can be undone.
      await sam.getByRole('button', { name: 'Archive channel' }).click();
      await sam.getByRole('button', { name: 'Unarchive channel' }).waitFor();
      await sam.getByRole('button', { name: 'Back to conversations' }).click();
      await expect
        .poll(() => inWidget(sam, '.pane-main').textContent())
        .toContain('This conversation is archived');
      expect(await inWidget(sam, '.pane-main textarea').count()).toBe(0);
    },
    TEST_TIMEOUT * 2,
  );

  it(
    'a client user is not offered "New channel"; a staff member is',
    async () => {
      const [olivia, raj] = await Promise.all([demo.openAs('olivia', '/'), demo.openAs('raj', '/', DESKTOP)]);
      for (const page of [olivia, raj]) {
        await inWidget(page, 'button', 'Browse channels').click();
        await inWidget(page, '.channel-item').first().waitFor();
      }
      expect(await olivia.getByRole('button', { name: 'New channel' }).count()).toBe(0);
      expect(await raj.getByRole('button', { name: 'New channel' }).count()).toBe(1);
    },
    TEST_TIMEOUT,
  );

  for (const look of LOOKS) {
    it(
      `the new-channel form and channel settings have no axe violations (${look.name})`,
      async () => {
        const page = await demo.openAs('sam', '/demo.html', look.options);
        const found: string[] = [];
        await openPanel(page);
        await inWidget(page, 'button', 'Browse channels').click();
        await page.getByRole('button', { name: 'New channel' }).click();
        await inWidget(page, '.chooser .person').first().waitFor();
        found.push(...(await axeViolations(page)).map((v) => `new channel: ${v}`));
        await page.getByRole('button', { name: 'Back to conversations' }).click();
        await page.getByRole('button', { name: 'Back to conversations' }).click();
        await openSettings(page, 'oracare-team');
        found.push(...(await axeViolations(page)).map((v) => `settings: ${v}`));
        expect(found, found.join('\n')).toEqual([]);
      },
      TEST_TIMEOUT,
    );
  }
});
