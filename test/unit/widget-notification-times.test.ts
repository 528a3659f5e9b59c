// The times the widget's notification settings show and save: a time input's value and minutes after
// midnight, both ways, and the email delays offered.
import { describe, expect, it } from 'vitest';
import { notificationStringsFor } from '../../src/widget/extras/notification-strings.ts';
import {
  emailDelayChoices,
  emailDelayOptions,
  minuteOfTime,
  timeOfMinute,
} from '../../src/widget/extras/notification-times.ts';

describe('notification times', () => {
  it('shows minutes after midnight as a time input does', () => {
    expect(timeOfMinute(0)).toBe('00:00');
    expect(timeOfMinute(7 * 60 + 5)).toBe('07:05');
    expect(timeOfMinute(1439)).toBe('23:59');
  });

  it('reads a time input back as minutes after midnight, seconds ignored', () => {
    expect(minuteOfTime('22:30')).toBe(1350);
    expect(minuteOfTime('00:00')).toBe(0);
    expect(minuteOfTime('06:45:30')).toBe(405);
    for (let minute = 0; minute < 1440; minute += 7) expect(minuteOfTime(timeOfMinute(minute))).toBe(minute);
  });

  it('takes nothing from a cleared or impossible time', () => {
    for (const value of ['', '7:00', '24:00', '12:60', 'noon']) expect(minuteOfTime(value)).toBeNull();
  });

  it('offers the usual delays, and one set elsewhere in its place among them', () => {
    expect(emailDelayOptions(600)).toEqual([...emailDelayChoices]);
    expect(emailDelayOptions(60)).toEqual([60, 300, 600, 1800, 3600, 14_400, 86_400]);
    expect(emailDelayOptions(7200)).toEqual([300, 600, 1800, 3600, 7200, 14_400, 86_400]);
  });

  it('names each delay as people say it', () => {
    const { delay } = notificationStringsFor('en-GB');
    expect(emailDelayOptions(60).map(delay)).toEqual([
      '1 min',
      '5 min',
      '10 min',
      '30 min',
      '1 h',
      '4 h',
      '1 day',
    ]);
    expect(delay(7200)).toBe('2 h');
  });
});
