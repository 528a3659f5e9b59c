// The notification ladder put together: its channels (email when SMTP is configured; web push), its links,
// the settings users and admins change, and the one-click unsubscribe of its emails.
import type { NotificationConfig } from '../../config/notifications.ts';
import type { Database } from '../../store/db.ts';
import type { Directory } from '../access/directory.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import { createEmailChannel } from './email-channel.ts';
import { createNotificationLadder, type NotificationChannel } from './ladder.ts';
import { createNotificationLinks } from './notification-links.ts';
import { createNotificationSettings } from './notification-settings.ts';

export interface NotificationsDeps {
  db: Database;
  events: DomainEvents;
  directory: Directory;
  rateLimits: RateLimits;
  config: NotificationConfig;
  /** Web push, when this Parley sends it. */
  push: NotificationChannel | null;
  /** Where Parley is reached, for the links in notifications. */
  baseUrl: () => string;
  onError: (error: unknown, context: string) => void;
}

const LADDER = {
  sweepIntervalMs: 30_000,
  startupLookBackMs: 24 * 60 * 60 * 1000,
  leaseMs: 60_000,
  batchSize: 50,
  maxMessages: 20,
};

export function createNotifications({
  db,
  events,
  directory,
  rateLimits,
  config,
  push,
  baseUrl,
  onError,
}: NotificationsDeps) {
  const links = createNotificationLinks({
    linkTemplate: config.linkTemplate,
    recordLinkTemplate: config.recordLinkTemplate,
    signingKey: config.signingKey,
    baseUrl,
  });
  const email = config.email
    ? createEmailChannel({
        smtpUrl: config.email.smtpUrl,
        from: config.email.from,
        timeoutMs: config.email.timeoutMs,
        linksFor: links.digest,
        domain: () => new URL(baseUrl()).hostname,
      })
    : null;
  const ladder = createNotificationLadder({
    db,
    events,
    channels: { push, email },
    options: { ...LADDER, pushDelayMs: config.pushDelayMs, tickMs: config.tickMs },
    onError,
  });
  const settings = createNotificationSettings({
    db,
    directory,
    rateLimits,
    signingKey: config.signingKey,
    email,
  });
  return {
    ladder,
    settings,
    async stop(): Promise<void> {
      await ladder.stop();
      email?.close();
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
