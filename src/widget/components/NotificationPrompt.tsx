// Offers system notifications until the user decides: the browser's question is asked only when they click
// "Enable"; "Not now" hides the offer on this browser.
import { useState } from 'preact/hooks';
import { browserStorage } from '../../client/index.ts';
import { notificationsUndecided, requestNotifications, unlockSound } from '../notifications.ts';
import { useWidget } from '../state.ts';
import { Icon } from './Icon.tsx';
import { IconButton } from './IconButton.tsx';

const DISMISSED_KEY = 'parley:notifications-offer-dismissed';

export function NotificationPrompt() {
  const { strings } = useWidget();
  const [shown, setShown] = useState(() => notificationsUndecided() && !browserStorage().get(DISMISSED_KEY));
  if (!shown) return null;
  const enable = () => {
    unlockSound();
    requestNotifications().then(
      () => setShown(notificationsUndecided()),
      (error: unknown) => console.warn('Parley: cannot ask for notifications', error),
    );
  };
  const dismiss = () => {
    browserStorage().set(DISMISSED_KEY, '1');
    setShown(false);
  };
  return (
    <div class="prompt">
      <Icon name="bell" size={18} />
      <span class="prompt-text">{strings.notificationsHint}</span>
      <button
        type="button"
        class="button small primary"
        aria-label={strings.enableNotifications}
        onClick={enable}
      >
        {strings.enable}
      </button>
      <IconButton icon="close" label={strings.notNow} onClick={dismiss} small />
    </div>
  );
}
