// The times the notification settings show and take: minutes after midnight as a time input's "HH:MM", and
// the email delays offered (with the user's own when it is none of them, as one set over the API may be).

/** The email delays offered, in seconds: 5, 10 and 30 minutes, 1 and 4 hours, a day. */
export const emailDelayChoices = [300, 600, 1800, 3600, 14_400, 86_400] as const;

/** The choices to show with `current` selected: the offered ones, and `current` in its place if missing. */
export function emailDelayOptions(current: number): number[] {
  const choices: number[] = [...emailDelayChoices];
  return choices.includes(current) ? choices : [...choices, current].sort((a, b) => a - b);
}

/** Minutes after midnight as `<input type="time">` shows them: `"07:05"`. */
export function timeOfMinute(minute: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

/** A time input's value (`"22:30"`, seconds ignored) as minutes after midnight; null when empty or invalid. */
export function minuteOfTime(value: string): number | null {
  const match = /^(\d{2}):(\d{2})/.exec(value);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}
