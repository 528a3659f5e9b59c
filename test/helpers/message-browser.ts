// The steps of acting on messages in the widget, for browser tests: finding a message by its text, opening
// its actions menu as a pointer user does, the menu's items, the composer, a DM by its exact title.
import type { Page } from 'playwright-core';

/** The latest message whose own text (not a quote of it) shows `text`. */
export const message = (page: Page, text: string) =>
  page
    .locator('parley-chat .message')
    .filter({ has: page.locator('.bubble', { hasText: text }) })
    .last();

export const composer = (page: Page) => page.locator('parley-chat #parley-composer');

export const menuItem = (page: Page, name: string) =>
  page.locator('parley-chat [role=menu] [role=menuitem]', { hasText: name });

/** Opens the actions menu of the latest message showing `text`, as a pointer user does (hover, then ⋯). */
export async function openActions(page: Page, text: string): Promise<void> {
  const target = message(page, text);
  await target.locator('.bubble').hover();
  await target.locator('.message-actions-button').click();
  await page.locator('parley-chat [role=menu]').waitFor();
}

/**
 * A conversation in the list by its exact title: a channel's preview may name the same person (someone
 * mentioned there), which a match on the whole entry's text would open instead.
 */
export const directConversation = (page: Page, title: string) =>
  page
    .locator('parley-chat .conversation')
    .filter({ has: page.locator('.conversation-title', { hasText: new RegExp(`^${title}$`) }) });

/** Whether the element is the focused one in the widget's shadow root. */
export const hasFocus = (element: Element) => element === (element.getRootNode() as ShadowRoot).activeElement;
