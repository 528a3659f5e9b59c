// The user's notification settings, opened from the conversation list's header: the header with the way
// back is here, so that it works while the rest (extras/NotificationSettingsBody.tsx) loads or if it cannot.
import { useWidget } from '../state.ts';
import { Extra } from './Extra.tsx';
import { PanelHeader } from './PanelHeader.tsx';

export function NotificationSettings() {
  const { strings, go } = useWidget();
  return (
    <section class="view" aria-labelledby="parley-notification-settings-title">
      <PanelHeader
        titleId="parley-notification-settings-title"
        title={strings.notificationSettings}
        onBack={() => go({ view: 'list' })}
      />
      <Extra part="NotificationSettingsBody" props={{}} />
    </section>
  );
}
