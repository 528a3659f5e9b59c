// The texts of the notification settings, per language like strings.ts (and chosen by the same locale), but
// in the extras chunk with the panel that shows them: the main bundle carries none of them.
import type { NotificationLevel } from '../../protocol/notifications.ts';
import { tableFor } from '../strings.ts';

const en = {
  level: 'Notify me about',
  levels: {
    all: 'Direct messages, group messages and mentions',
    mentions: 'Mentions only',
    nothing: 'Nothing',
  } satisfies Record<NotificationLevel, string>,
  email: 'Email',
  emailOn: 'Email me when a message stays unread',
  emailDelay: 'After',
  /** An email delay in seconds: "10 min", "1 h", "1 day". */
  delay: (seconds: number) =>
    seconds % 86_400 === 0
      ? `${seconds / 86_400} ${seconds === 86_400 ? 'day' : 'days'}`
      : seconds % 3600 === 0
        ? `${seconds / 3600} h`
        : `${Math.round(seconds / 60)} min`,
  testEmail: 'Send me a test email',
  testEmailSent: 'Test email sent. It arrives as notification emails do.',
  testEmailFailed: (reason: string) => `No test email was sent: ${reason}`,
  noEmailAddress: 'Your account has no email address, so Parley cannot email you.',
  push: 'Push notifications',
  pushOn: 'Push to the browsers and apps where I turned notifications on',
  turnOnInBrowser: 'Turn on notifications in this browser',
  browserOn: 'Notifications are on in this browser.',
  browserBlocked: 'This browser blocks notifications from this site: allow them in its site settings.',
  devices: 'Your devices',
  deviceAdded: (date: string) => `Added ${date}`,
  thisBrowser: 'this browser',
  remove: 'Remove',
  removeDevice: (name: string, date: string) => `Remove ${name}, added ${date}`,
  deviceRemoved: (name: string) => `${name} gets no more notifications.`,
  testPush: 'Send a test push',
  testPushSent: (delivered: number) =>
    delivered === 0
      ? 'No push service took the test push.'
      : `Test push sent to ${delivered} ${delivered === 1 ? 'device' : 'devices'}.`,
  noDevices: 'Notifications reach the browsers and installed apps where you turn them on.',
  devicesFailed: (reason: string) => `Your devices could not be listed: ${reason}`,
  pushFailed: (reason: string) => `That did not work: ${reason}`,
  quietHours: 'Quiet hours',
  quietHoursOn: 'Hold push and email during quiet hours',
  quietFrom: 'From',
  quietUntil: 'Until',
  inTimeZone: (zone: string) => `Times in ${zone}.`,
  readCancels:
    'Reading a conversation anywhere, on any of your devices, cancels the notifications still waiting for it.',
  defaults: 'Defaults for everyone',
  defaultsHint: 'As an admin you choose what people get until they choose for themselves.',
  defaultLevel: 'Notify people about',
  defaultEmailOn: 'Email people when a message stays unread',
  defaultPushOn: 'Push to the browsers and apps where people turned notifications on',
  defaultsLoadFailed: (reason: string) => `The defaults could not be loaded: ${reason}`,
  saving: 'Saving…',
  saved: 'Saved',
  saveFailed: (reason: string) => `Not saved: ${reason}`,
  loadFailed: (reason: string) => `Your notification settings could not be loaded: ${reason}`,
};

export type NotificationStrings = typeof en;

const tables: Record<string, NotificationStrings> = { en };

export function notificationStringsFor(locale: string): NotificationStrings {
  return tableFor(tables, locale, en);
}
