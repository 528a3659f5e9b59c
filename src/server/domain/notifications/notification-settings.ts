// What a user chooses about notifications, the defaults the company's admins set, one-click unsubscribe
// from an email (no login: the link is signed), and the test email a user may ask for.
import { ParleyError } from '../../../protocol/errors.ts';
import type { User } from '../../../protocol/models.ts';
import type {
  NotificationDefaults,
  NotificationSettings,
  NotificationSettingsUpdate,
} from '../../../protocol/notifications.ts';
import type { Database } from '../../store/db.ts';
import type { StepContent } from '../../store/notification-content.ts';
import { findNotifiedUser } from '../../store/notification-content.ts';
import {
  findNotificationDefaults,
  findNotificationSettings,
  updateNotificationDefaults,
  updateNotificationSettings,
} from '../../store/notification-settings.ts';
import { setMuted } from '../../store/read-state.ts';
import type { Directory } from '../access/directory.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import type { NotificationChannel } from './ladder.ts';
import { verifyUnsubscribe } from './unsubscribe-tokens.ts';

export interface NotificationSettingsDeps {
  db: Database;
  directory: Directory;
  rateLimits: RateLimits;
  signingKey: Buffer;
  email: NotificationChannel | null;
}

/** What an unsubscribe link did. */
export type UnsubscribeResult =
  | { kind: 'conversation'; userId: string; conversationId: string }
  | { kind: 'all'; userId: string };

export function createNotificationSettings({
  db,
  directory,
  rateLimits,
  signingKey,
  email,
}: NotificationSettingsDeps) {
  async function settingsOf(user: User): Promise<NotificationSettings> {
    const settings = await findNotificationSettings(db, user.id);
    if (!settings) throw new ParleyError('not_found', 'no such user');
    return settings;
  }

  return {
    settingsOf,

    async update(user: User, update: NotificationSettingsUpdate): Promise<NotificationSettings> {
      await updateNotificationSettings(db, user.id, update);
      return settingsOf(user);
    },

    async defaults(actor: User): Promise<NotificationDefaults> {
      await directory.requireParleyAdmin(actor);
      return findNotificationDefaults(db);
    },

    async updateDefaults(actor: User, update: Partial<NotificationDefaults>): Promise<NotificationDefaults> {
      await directory.requireParleyAdmin(actor);
      return updateNotificationDefaults(db, update);
    },

    /** The unsubscribe a link names, without doing it (the page that asks to confirm). */
    check(token: string): UnsubscribeResult {
      const what = verifyUnsubscribe(signingKey, token);
      if (!what)
        throw new ParleyError('invalid_link', 'this unsubscribe link is not valid (altered or cut short)');
      return what.conversationId === null
        ? { kind: 'all', userId: what.userId }
        : { kind: 'conversation', userId: what.userId, conversationId: what.conversationId };
    },

    /**
     * Does what a valid link says: mutes the one conversation (no more email or push about it), or turns all
     * email off. Repeating it changes nothing; a conversation since left is simply not there to mute.
     */
    async unsubscribe(token: string): Promise<UnsubscribeResult> {
      const result = this.check(token);
      if (result.kind === 'conversation') await setMuted(db, result.conversationId, result.userId, true);
      else await updateNotificationSettings(db, result.userId, { emailEnabled: false });
      return result;
    },

    /** Sends the user a sample digest now, so they see what the ladder's email looks like and that it arrives. */
    async sendTestEmail(user: User): Promise<void> {
      if (!email)
        throw new ParleyError('not_configured', 'this Parley sends no email (PARLEY_SMTP_URL is unset)');
      await rateLimits.consume('test-notification', user.id);
      const notified = await findNotifiedUser(db, user.id);
      if (!notified?.email) throw new ParleyError('not_configured', 'your account has no email address');
      const content: StepContent = {
        user: notified,
        conversation: {
          id: 'test',
          kind: 'direct',
          name: null,
          lastReadSeq: 0,
          lastSeq: 1,
          muted: false,
          record: null,
          otherMemberNames: ['Parley'],
        },
        messages: [
          {
            seq: 1,
            messageSeq: 1,
            body: 'This is a test notification. Emails like this one arrive when messages stay unread.',
            createdAt: new Date(),
            senderName: 'Parley',
            senderOrg: 'Parley',
            hasAttachments: false,
          },
        ],
        total: 1,
      };
      await email.send(content);
    },
  };
}

export type NotificationSettingsService = ReturnType<typeof createNotificationSettings>;
