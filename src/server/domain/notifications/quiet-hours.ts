// Quiet hours: a daily span, in the user's time zone, in which push and email wait.
import type { QuietHours } from '../../../protocol/notifications.ts';

const MINUTE_MS = 60_000;

/** Minutes after midnight at `at` in `timeZone` (with the seconds past that minute, in ms). */
function minuteOfDay(at: Date, timeZone: string): { minute: number; msIntoMinute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { minute: value('hour') * 60 + value('minute'), msIntoMinute: at.getTime() % MINUTE_MS };
}

/**
 * How long until quiet hours end, if `at` is inside them; 0 outside. A span whose end is before its start
 * runs past midnight (22:00–07:00).
 */
export function msUntilQuietHoursEnd(hours: QuietHours, at: Date): number {
  const { minute, msIntoMinute } = minuteOfDay(at, hours.timeZone);
  const { startMinute: start, endMinute: end } = hours;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return 0;
  const minutesLeft = (end - minute + 24 * 60) % (24 * 60);
  return minutesLeft * MINUTE_MS - msIntoMinute;
}
