// The notification ladder put together: its channels (email when SMTP is configured; web push), its links,
// the settings users and admins change, and the one-click unsubscribe of its emails.
import type { NotificationConfig } from '../../config/notifications.ts';
import type { Database } from '../../store/db.ts';
import type { Directory } from '../access/directory.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import { createEmailChannel } from './email-channel.ts';
import { createNotificationLadder } from './ladder.ts';
import { createNotificationLinks } from './notification-links.ts';
import { createNotificationSettings } from './notification-settings.ts';
import type { PushSender } from './push.ts';
import { createPushChannel } from './push-channel.ts';
import { createReplyAddresses } from './reply-addresses.ts';

export interface NotificationsDeps {
  db: Database;
  events: DomainEvents;
  directory: Directory;
  rateLimits: RateLimits;
  config: NotificationConfig;
  /** Web push to the users' devices. */
  pushSender: PushSender;
  /** Where Parley is reached, for the links in notifications. */
  baseUrl: () => string;
  onError: (error: unknown, context: string) => void;
}

const LADDER = {
  sweepIntervalMs: 30_000,
  startupLookBackMs: 24 * 60 * 60 * 1000,
  // Longer than a round of sends can take through a slow SMTP server: a claim must not run out mid-round.
  leaseMs: 5 * 60_000,
  batchSize: 50,
  maxMessages: 20,
};

export function createNotifications({
  db,
  events,
  directory,
  rateLimits,
  config,
  pushSender,
  baseUrl,
  onError,
}: NotificationsDeps) {
  const replies = config.replies
    ? createReplyAddresses({ db, key: config.replies.signingKey, domain: config.replies.domain })
    : null;
  const links = createNotificationLinks({
    linkTemplate: config.linkTemplate,
    recordLinkTemplate: config.recordLinkTemplate,
    signingKey: config.signingKey,
    baseUrl,
    replies,
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
  const push = createPushChannel(pushSender, (content) =>
    links.open(content.conversation?.id ?? '', content.conversation?.record ?? null),
  );
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
    /** The reply addresses of digests, when this Parley takes replies by email. */
    replies,
    async stop(): Promise<void> {
      await ladder.stop();
      email?.close();
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
