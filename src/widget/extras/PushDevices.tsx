// Push in the notification settings, per device: "Turn on notifications in this browser" where the host gave
// the widget its service worker (asking for permission only when clicked, then subscribing through the SDK),
// the user's devices each with a Remove (this browser's also unsubscribes it at its push service), and a
// test push to all of them. The browser's subscription stays the user's who turned it on: remembered per
// user, and given up when they remove it.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createPushNotifications } from '../../client/push.ts';
import type { PushDevice } from '../../protocol/push.ts';
import { useWidget } from '../state.ts';
import type { NotificationStrings } from './notification-strings.ts';

const deviceKey = (userId: string) => `parley:push-device:${userId}`;

const pushSupported = () =>
  'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** What the browser calls itself, e.g. "Windows" or "Android"; the server adds its User-Agent. */
const deviceLabel = () =>
  (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform || undefined;

export function PushDevices({ strings }: { strings: NotificationStrings }) {
  const { session, options, locale } = useWidget();
  const push = useMemo(() => createPushNotifications(options.server, session.getToken), [session]);
  const key = deviceKey(session.userId);
  const worker = options.serviceWorker && pushSupported() ? options.serviceWorker : null;
  const [devices, setDevices] = useState<PushDevice[] | null>(null);
  const [thisDevice, setThisDevice] = useState(() => session.storage.get(key) || null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

  const remember = (deviceId: string | null) => {
    session.storage.set(key, deviceId ?? '');
    setThisDevice(deviceId);
  };
  const refresh = () =>
    push.devices().then(setDevices, (failure: Error) => setStatus(strings.devicesFailed(failure.message)));
  const subscribe = async (registration: ServiceWorkerRegistration) =>
    remember((await push.subscribeBrowser(registration, deviceLabel())).id);

  useEffect(() => {
    // Turned on before: registered again, quietly (permission is granted already), so that a subscription
    // the browser renewed, or one made with an older key, reaches the server.
    const renew =
      worker && thisDevice && Notification.permission === 'granted'
        ? navigator.serviceWorker.register(worker).then(subscribe)
        : Promise.resolve();
    renew.catch(() => remember(null)).finally(refresh);
  }, [push]);

  /** One action with the buttons held; its outcome is said once the devices are listed as they are now. */
  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    let outcome: string;
    try {
      outcome = await action();
    } catch (failure) {
      outcome = strings.pushFailed((failure as Error).message);
    }
    await refresh();
    setBusy(false);
    setStatus(outcome);
  };
  const turnOn = (serviceWorker: string) =>
    act(async () => {
      if ((await Notification.requestPermission()) !== 'granted') return strings.browserBlocked;
      await subscribe(await navigator.serviceWorker.register(serviceWorker));
      return strings.browserOn;
    });
  const remove = (device: PushDevice, name: string) =>
    act(async () => {
      if (device.id === thisDevice && worker) {
        await push.unsubscribeBrowser(await navigator.serviceWorker.register(worker), device.id);
        remember(null);
      } else await push.revoke(device.id);
      return strings.deviceRemoved(name);
    });
  const test = () =>
    act(async () => {
      const { delivered } = await push.test();
      return strings.testPushSent(delivered);
    });

  // A device remembered here but removed elsewhere is not this browser's any more (checked once listed).
  const listed = busy || !devices || devices.some((device) => device.id === thisDevice);
  const on = thisDevice !== null && listed;
  const added = (iso: string) => new Date(iso).toLocaleDateString(locale, { dateStyle: 'medium' });
  return (
    <div class="push-devices">
      {worker && Notification.permission === 'denied' && <p class="field-hint">{strings.browserBlocked}</p>}
      {worker && Notification.permission !== 'denied' && !on && (
        <button type="button" class="button small" disabled={busy} onClick={() => turnOn(worker)}>
          {strings.turnOnInBrowser}
        </button>
      )}
      {devices && devices.length > 0 && (
        <>
          <p class="field-label" id="parley-push-devices">
            {strings.devices}
          </p>
          <ul class="devices" aria-labelledby="parley-push-devices">
            {devices.map((device) => {
              const name = device.label || device.service;
              const when = added(device.createdAt);
              return (
                <li key={device.id}>
                  <span class="device-text">
                    <span class="device-name">{name}</span>
                    <span class="field-hint">
                      {strings.deviceAdded(when)}
                      {device.id === thisDevice ? ` · ${strings.thisBrowser}` : ''}
                    </span>
                  </span>
                  <button
                    type="button"
                    class="button small ghost"
                    disabled={busy}
                    aria-label={strings.removeDevice(name, when)}
                    onClick={() => remove(device, name)}
                  >
                    {strings.remove}
                  </button>
                </li>
              );
            })}
          </ul>
          <button type="button" class="button small ghost" disabled={busy} onClick={test}>
            {strings.testPush}
          </button>
        </>
      )}
      {devices?.length === 0 && !worker && <p class="field-hint">{strings.noDevices}</p>}
      <p class="field-hint" role="status">
        {status}
      </p>
    </div>
  );
}
