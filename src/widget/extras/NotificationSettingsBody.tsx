// What the notification settings show under their header (components/NotificationSettings.tsx): the level,
// email and its delay, push and the devices it reaches, quiet hours and a test email. Each change is saved at once, alone (the PATCH
// names only that field, so a change made meanwhile on another device to another field stays), shows at
// once, and goes back if the server refuses it; a status line says which.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { NotificationLevel, NotificationSettings, QuietHours } from '../../protocol/notifications.ts';
import { useWidget } from '../state.ts';
import { type NotificationStrings, notificationStringsFor } from './notification-strings.ts';
import { emailDelayOptions, minuteOfTime, timeOfMinute } from './notification-times.ts';
import { PushDevices } from './PushDevices.tsx';

type Change = Partial<Omit<NotificationSettings, 'hasEmailAddress'>>;

const levels: NotificationLevel[] = ['all', 'mentions', 'nothing'];
/** What turning quiet hours on proposes: the night, in the browser's time zone. */
const NIGHT = { startMinute: 22 * 60, endMinute: 7 * 60 };

export function NotificationSettingsBody() {
  const { session, locale } = useWidget();
  const client = session.client;
  const strings = notificationStringsFor(locale);
  const [settings, setSettings] = useState<NotificationSettings | null>(null);
  const [loadError, setLoadError] = useState('');
  const [status, setStatus] = useState('');
  const [emailStatus, setEmailStatus] = useState('');
  const [sending, setSending] = useState(false);
  // Only the newest save's answer is shown: an older one must not undo a change made after it.
  const saves = useRef(0);

  useEffect(() => {
    let current = true;
    client.notificationSettings().then(
      (loaded) => current && setSettings(loaded),
      (failure: Error) => current && setLoadError(strings.loadFailed(failure.message)),
    );
    return () => {
      current = false;
    };
  }, [client]);

  if (!settings)
    return loadError ? (
      <p class="notice error" role="alert">
        {loadError}
      </p>
    ) : null;

  const save = (change: Change) => {
    const before = settings;
    const save = ++saves.current;
    setSettings({ ...before, ...change });
    setStatus(strings.saving);
    client.updateNotificationSettings(change).then(
      (stored) => {
        if (save !== saves.current) return;
        setSettings(stored);
        setStatus(strings.saved);
      },
      (failure: Error) => {
        if (save !== saves.current) return;
        setSettings(before);
        setStatus(strings.saveFailed(failure.message));
      },
    );
  };
  const sendTestEmail = () => {
    setSending(true);
    setEmailStatus('');
    client.sendTestEmail().then(
      () => {
        setSending(false);
        setEmailStatus(strings.testEmailSent);
      },
      (failure: Error) => {
        setSending(false);
        setEmailStatus(strings.testEmailFailed(failure.message));
      },
    );
  };

  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const quiet = settings.quietHours;
  // Times are saved in the browser's zone: the one the user reads them in when they set them.
  const setQuiet = (part: 'startMinute' | 'endMinute', value: string) => {
    const minute = minuteOfTime(value);
    if (quiet && minute !== null) save({ quietHours: { ...quiet, [part]: minute, timeZone: browserZone } });
  };

  return (
    <>
      <div class="scroll settings notification-settings">
        <fieldset>
          <legend>{strings.level}</legend>
          {levels.map((level) => (
            <label key={level} class="choice">
              <input
                type="radio"
                name="parley-notification-level"
                checked={settings.level === level}
                onChange={() => save({ level })}
              />
              {strings.levels[level]}
            </label>
          ))}
        </fieldset>

        <fieldset>
          <legend>{strings.email}</legend>
          <label class="choice">
            <input
              type="checkbox"
              checked={settings.emailEnabled}
              onChange={(event) => save({ emailEnabled: event.currentTarget.checked })}
            />
            {strings.emailOn}
          </label>
          <label class="field">
            <span class="field-label">{strings.emailDelay}</span>
            <select
              value={String(settings.emailDelaySeconds)}
              disabled={!settings.emailEnabled}
              onChange={(event) => save({ emailDelaySeconds: Number(event.currentTarget.value) })}
            >
              {emailDelayOptions(settings.emailDelaySeconds).map((seconds) => (
                <option key={seconds} value={String(seconds)}>
                  {strings.delay(seconds)}
                </option>
              ))}
            </select>
          </label>
          <div class="test-email">
            <button
              type="button"
              class="button small ghost"
              disabled={!settings.hasEmailAddress || sending}
              aria-describedby={settings.hasEmailAddress ? undefined : 'parley-no-email-address'}
              onClick={sendTestEmail}
            >
              {strings.testEmail}
            </button>
            {!settings.hasEmailAddress && (
              <p id="parley-no-email-address" class="field-hint">
                {strings.noEmailAddress}
              </p>
            )}
            <p class="field-hint" role="status">
              {emailStatus}
            </p>
          </div>
        </fieldset>

        <fieldset>
          <legend>{strings.push}</legend>
          <label class="choice">
            <input
              type="checkbox"
              checked={settings.pushEnabled}
              onChange={(event) => save({ pushEnabled: event.currentTarget.checked })}
            />
            {strings.pushOn}
          </label>
          <PushDevices strings={strings} />
        </fieldset>

        <fieldset>
          <legend>{strings.quietHours}</legend>
          <label class="choice">
            <input
              type="checkbox"
              checked={quiet !== null}
              onChange={(event) =>
                save({
                  quietHours: event.currentTarget.checked ? { ...NIGHT, timeZone: browserZone } : null,
                })
              }
            />
            {strings.quietHoursOn}
          </label>
          {quiet && <QuietTimes quiet={quiet} strings={strings} onChange={setQuiet} />}
        </fieldset>

        <p class="field-hint">{strings.readCancels}</p>
      </div>
      <p class="footer save-status" role="status">
        {status}
      </p>
    </>
  );
}

interface QuietTimesProps {
  quiet: QuietHours;
  strings: NotificationStrings;
  onChange: (part: 'startMinute' | 'endMinute', value: string) => void;
}

function QuietTimes({ quiet, strings, onChange }: QuietTimesProps) {
  return (
    <>
      <div class="quiet-times">
        <label class="field">
          <span class="field-label">{strings.quietFrom}</span>
          <input
            type="time"
            value={timeOfMinute(quiet.startMinute)}
            onChange={(event) => onChange('startMinute', event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">{strings.quietUntil}</span>
          <input
            type="time"
            value={timeOfMinute(quiet.endMinute)}
            onChange={(event) => onChange('endMinute', event.currentTarget.value)}
          />
        </label>
      </div>
      <p class="field-hint">{strings.inTimeZone(quiet.timeZone)}</p>
    </>
  );
}
