// What the notification settings show under their header (components/NotificationSettings.tsx): the level,
// email and its delay, push and the devices it reaches, quiet hours and a test email, each saved as it
// changes (saved-settings.ts); and for internal admins, the company's defaults below them.
import { useState } from 'preact/hooks';
import type { NotificationSettings, QuietHours } from '../../protocol/notifications.ts';
import { useWidget } from '../state.ts';
import { NotificationDefaultsSection } from './NotificationDefaultsSection.tsx';
import { EmailDelay, LevelChoices, SwitchedPart } from './notification-fields.tsx';
import { type NotificationStrings, notificationStringsFor } from './notification-strings.ts';
import { minuteOfTime, timeOfMinute } from './notification-times.ts';
import { PushDevices } from './PushDevices.tsx';
import { useSavedSettings } from './saved-settings.ts';

/** What turning quiet hours on proposes: the night, in the browser's time zone. */
const NIGHT = { startMinute: 22 * 60, endMinute: 7 * 60 };

export function NotificationSettingsBody() {
  const { session, locale } = useWidget();
  const client = session.client;
  const strings = notificationStringsFor(locale);
  const me = client.me;
  const {
    value: settings,
    loadError,
    status,
    save,
  } = useSavedSettings<NotificationSettings, Partial<Omit<NotificationSettings, 'hasEmailAddress'>>>(
    () => client.notificationSettings(),
    (change) => client.updateNotificationSettings(change),
    strings,
    strings.loadFailed,
  );
  const [emailStatus, setEmailStatus] = useState('');
  const [sending, setSending] = useState(false);

  if (!settings)
    return loadError ? (
      <p class="notice error" role="alert">
        {loadError}
      </p>
    ) : null;

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
        <LevelChoices
          name="parley-notification-level"
          legend={strings.level}
          level={settings.level}
          strings={strings}
          onChange={(level) => save({ level })}
        />

        <SwitchedPart
          legend={strings.email}
          label={strings.emailOn}
          on={settings.emailEnabled}
          onChange={(emailEnabled) => save({ emailEnabled })}
        >
          <EmailDelay
            seconds={settings.emailDelaySeconds}
            disabled={!settings.emailEnabled}
            strings={strings}
            onChange={(emailDelaySeconds) => save({ emailDelaySeconds })}
          />
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
        </SwitchedPart>

        <SwitchedPart
          legend={strings.push}
          label={strings.pushOn}
          on={settings.pushEnabled}
          onChange={(pushEnabled) => save({ pushEnabled })}
        >
          <PushDevices strings={strings} />
        </SwitchedPart>

        <SwitchedPart
          legend={strings.quietHours}
          label={strings.quietHoursOn}
          on={quiet !== null}
          onChange={(on) => save({ quietHours: on ? { ...NIGHT, timeZone: browserZone } : null })}
        >
          {quiet && <QuietTimes quiet={quiet} strings={strings} onChange={setQuiet} />}
        </SwitchedPart>

        <p class="field-hint">{strings.readCancels}</p>
        {me?.orgKind === 'internal' && me.role === 'admin' && (
          <NotificationDefaultsSection strings={strings} />
        )}
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
