// The full-page chat's "Turn on notifications": the service worker is registered at load, which asks the
// user nothing; permission is asked only when they click, and this browser is then subscribed through the
// SDK. Once on, the button gives way to the user's devices (push-devices.js), where a test push is sent and
// a device removed. The browser keeps its subscription for the user who turned it on (remembered here per
// user), and gives it up when they switch user or remove it.
import { pushDevices } from './push-devices.js';

const REMEMBERED = 'parley-push-device:';

const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** The SDK's push part (dist/page/parley-push.js): loaded on demand, so a failure costs only this button. */
const loadPush = (getToken) =>
  import('./parley-push.js').then(({ createPushNotifications }) =>
    createPushNotifications(location.origin, getToken),
  );

/**
 * Shows `button` where push works, this browser is not subscribed and the user has not blocked
 * notifications, and the user's devices in `devices` (a `<details>`). `userId` and `getToken` name the
 * signed-in user; answers `stop()`, which unsubscribes this browser (on switching user).
 */
export async function offerPush({ button, devices, userId, getToken, onOpen }) {
  button.hidden = true;
  if (!supported()) return { stop: async () => {} };
  const registration = await navigator.serviceWorker.register('sw.js');
  // A click on a notification while the chat is open: the worker asks this page to show the conversation.
  navigator.serviceWorker.onmessage = (event) => {
    if (event.data?.type === 'parley:open' && event.data.conversationId) onOpen(event.data.conversationId);
  };
  const key = REMEMBERED + userId;
  const push = await loadPush(getToken);
  let deviceId = localStorage.getItem(key);

  const forget = () => {
    deviceId = null;
    localStorage.removeItem(key);
  };
  const list = pushDevices({
    container: devices,
    push,
    thisDevice: () => deviceId,
    remove: async (id) => {
      if (id !== deviceId) return push.revoke(id);
      await push.unsubscribeBrowser(registration, id);
      forget();
      show();
    },
  });
  const show = () => {
    button.hidden = Notification.permission === 'denied' || deviceId !== null;
  };
  const subscribe = async () => {
    deviceId = (await push.subscribeBrowser(registration, navigator.userAgentData?.platform)).id;
    localStorage.setItem(key, deviceId);
  };

  button.onclick = async () => {
    button.disabled = true;
    try {
      if ((await Notification.requestPermission()) === 'granted') await subscribe();
    } catch (error) {
      button.title = `Notifications could not be turned on: ${error.message}`;
    } finally {
      button.disabled = false;
      show();
      await list.refresh().catch(() => {});
    }
  };

  // Registered before: sent again, quietly (permission is granted already), so that a subscription the
  // browser renewed, or one made with an older key, reaches the server.
  if (deviceId && Notification.permission === 'granted') {
    await subscribe().catch(forget);
  }
  show();
  // The devices show even where this browser is not subscribed: the user may remove the others from here.
  await list.refresh().catch((error) => console.warn('Parley: the push devices could not be listed', error));
  return {
    async stop() {
      button.hidden = true;
      list.hide();
      localStorage.removeItem(key);
      if (deviceId) await push.unsubscribeBrowser(registration, deviceId).catch(() => {});
    },
  };
}
