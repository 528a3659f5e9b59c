// The company's notification defaults, under the user's own settings for internal admins: what notifies,
// email and its delay, and push for everyone who has not chosen for themselves. Saved as they change, as the
// user's own settings are.
import type { NotificationDefaults } from '../../protocol/notifications.ts';
import { useWidget } from '../state.ts';
import { EmailDelay, LevelChoices, SwitchedPart } from './notification-fields.tsx';
import type { NotificationStrings } from './notification-strings.ts';
import { useSavedSettings } from './saved-settings.ts';

export function NotificationDefaultsSection({ strings }: { strings: NotificationStrings }) {
  const { session } = useWidget();
  const client = session.client;
  const { value, loadError, status, save } = useSavedSettings<
    NotificationDefaults,
    Partial<NotificationDefaults>
  >(
    () => client.notificationDefaults(),
    (change) => client.updateNotificationDefaults(change),
    strings,
    strings.defaultsLoadFailed,
  );
  return (
    <section class="notification-defaults" aria-labelledby="parley-notification-defaults">
      <h3 class="section-title" id="parley-notification-defaults">
        {strings.defaults}
      </h3>
      <p class="field-hint">{strings.defaultsHint}</p>
      {loadError && (
        <p class="notice error" role="alert">
          {loadError}
        </p>
      )}
      {value && (
        <>
          <LevelChoices
            name="parley-notification-default-level"
            legend={strings.defaultLevel}
            level={value.level}
            strings={strings}
            onChange={(level) => save({ level })}
          />
          <SwitchedPart
            legend={strings.email}
            label={strings.defaultEmailOn}
            on={value.emailEnabled}
            onChange={(emailEnabled) => save({ emailEnabled })}
          >
            <EmailDelay
              seconds={value.emailDelaySeconds}
              disabled={!value.emailEnabled}
              strings={strings}
              onChange={(emailDelaySeconds) => save({ emailDelaySeconds })}
            />
          </SwitchedPart>
          <SwitchedPart
            legend={strings.push}
            label={strings.defaultPushOn}
            on={value.pushEnabled}
            onChange={(pushEnabled) => save({ pushEnabled })}
          />
        </>
      )}
      <p class="field-hint" role="status">
        {status}
      </p>
    </section>
  );
}
