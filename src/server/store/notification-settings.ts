// Users' notification choices and the company's defaults (migration 016): a user's unset choice follows
// the default as it changes.
import type {
  NotificationDefaults,
  NotificationSettings,
  NotificationSettingsUpdate,
  QuietHours,
} from '../../protocol/notifications.ts';
import type { Sql } from './db.ts';

/** The quiet-hours columns of `notification_settings` as one value, or null for none. */
export interface QuietHoursColumns {
  quiet_start_minute: number | null;
  quiet_end_minute: number | null;
  time_zone: string | null;
}

export function quietHoursOf(row: QuietHoursColumns): QuietHours | null {
  if (row.quiet_start_minute === null || row.quiet_end_minute === null) return null;
  return {
    startMinute: row.quiet_start_minute,
    endMinute: row.quiet_end_minute,
    timeZone: row.time_zone ?? 'UTC',
  };
}

interface SettingsRow extends QuietHoursColumns {
  level: NotificationSettings['level'];
  email_enabled: boolean;
  email_delay_seconds: number;
  push_enabled: boolean;
  has_email: boolean;
}

export async function findNotificationSettings(
  sql: Sql,
  userId: string,
): Promise<NotificationSettings | null> {
  const [row] = await sql.query<SettingsRow>(
    `select coalesce(ns.level, d.level) as level, coalesce(ns.email_enabled, d.email_enabled) as email_enabled,
       coalesce(ns.email_delay_seconds, d.email_delay_seconds) as email_delay_seconds,
       coalesce(ns.push_enabled, d.push_enabled) as push_enabled,
       ns.quiet_start_minute, ns.quiet_end_minute, ns.time_zone, u.email is not null as has_email
     from users u cross join notification_defaults d left join notification_settings ns on ns.user_id = u.id
     where u.id = $1`,
    [userId],
  );
  if (!row) return null;
  return {
    level: row.level,
    emailEnabled: row.email_enabled,
    emailDelaySeconds: row.email_delay_seconds,
    pushEnabled: row.push_enabled,
    quietHours: quietHoursOf(row),
    hasEmailAddress: row.has_email,
  };
}

/** Writes what the update names; a field it leaves out keeps its value, `null` returns to the default. */
export async function updateNotificationSettings(
  sql: Sql,
  userId: string,
  update: NotificationSettingsUpdate,
): Promise<void> {
  const quiet = update.quietHours;
  await sql.query(
    `insert into notification_settings (user_id, level, email_enabled, email_delay_seconds, push_enabled,
       quiet_start_minute, quiet_end_minute, time_zone)
     values ($1, $3, $5, $7, $9, $11, $12, $13)
     on conflict (user_id) do update set
       level = case when $2 then excluded.level else notification_settings.level end,
       email_enabled = case when $4 then excluded.email_enabled else notification_settings.email_enabled end,
       email_delay_seconds = case when $6 then excluded.email_delay_seconds
         else notification_settings.email_delay_seconds end,
       push_enabled = case when $8 then excluded.push_enabled else notification_settings.push_enabled end,
       quiet_start_minute = case when $10 then excluded.quiet_start_minute
         else notification_settings.quiet_start_minute end,
       quiet_end_minute = case when $10 then excluded.quiet_end_minute else notification_settings.quiet_end_minute end,
       time_zone = case when $10 then excluded.time_zone else notification_settings.time_zone end,
       updated_at = now()`,
    [
      userId,
      'level' in update,
      update.level ?? null,
      'emailEnabled' in update,
      update.emailEnabled ?? null,
      'emailDelaySeconds' in update,
      update.emailDelaySeconds ?? null,
      'pushEnabled' in update,
      update.pushEnabled ?? null,
      'quietHours' in update,
      quiet?.startMinute ?? null,
      quiet?.endMinute ?? null,
      quiet?.timeZone ?? null,
    ],
  );
}

export async function findNotificationDefaults(sql: Sql): Promise<NotificationDefaults> {
  const [row] = await sql.query<{
    level: NotificationDefaults['level'];
    email_enabled: boolean;
    email_delay_seconds: number;
    push_enabled: boolean;
  }>('select level, email_enabled, email_delay_seconds, push_enabled from notification_defaults');
  if (!row) throw new Error('notification_defaults has no row (migration 016 inserts it)');
  return {
    level: row.level,
    emailEnabled: row.email_enabled,
    emailDelaySeconds: row.email_delay_seconds,
    pushEnabled: row.push_enabled,
  };
}

export async function updateNotificationDefaults(
  sql: Sql,
  update: Partial<NotificationDefaults>,
): Promise<NotificationDefaults> {
  await sql.query(
    `update notification_defaults set level = coalesce($1, level), email_enabled = coalesce($2, email_enabled),
       email_delay_seconds = coalesce($3, email_delay_seconds), push_enabled = coalesce($4, push_enabled),
       updated_at = now()`,
    [
      update.level ?? null,
      update.emailEnabled ?? null,
      update.emailDelaySeconds ?? null,
      update.pushEnabled ?? null,
    ],
  );
  return findNotificationDefaults(sql);
}
