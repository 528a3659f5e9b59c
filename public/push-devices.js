// The full-page chat's list of the user's push devices, beside "Turn on notifications": each named, with the
// day it was added and a "Remove" that stops pushes to it, and "Send a test push" to all of them. It talks
// to Parley through the SDK's push part that push-control.js loaded, and shows what each action did.

const added = (iso) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });

/**
 * Runs the `<details>` `container` (a list, a test button, a status line). `push` is the SDK's
 * PushNotifications; `thisDevice()` says which device is this browser; `remove(id)` forgets one (this
 * browser's also unsubscribes it). Answers `refresh()`, which lists the devices again, and `hide()`.
 */
export function pushDevices({ container, push, thisDevice, remove }) {
  const list = container.querySelector('.devices-list');
  const test = container.querySelector('.devices-test');
  const status = container.querySelector('.devices-status');
  const say = (text) => {
    status.textContent = text;
  };

  const row = (device) => {
    const item = document.createElement('li');
    const name = document.createElement('span');
    name.className = 'device-name';
    name.textContent = device.label || device.service;
    const detail = document.createElement('span');
    detail.className = 'device-detail';
    const mine = device.id === thisDevice() ? ' · this browser' : '';
    detail.textContent = `Added ${added(device.createdAt)}${mine}`;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button';
    button.textContent = 'Remove';
    button.setAttribute('aria-label', `Remove ${name.textContent}, added ${added(device.createdAt)}`);
    button.onclick = () =>
      act(async () => {
        await remove(device.id);
        return `${name.textContent} gets no more notifications.`;
      });
    const text = document.createElement('span');
    text.className = 'device-text';
    text.append(name, detail);
    item.append(text, button);
    return item;
  };

  async function refresh() {
    const devices = await push.devices();
    container.hidden = devices.length === 0;
    container.querySelector('.devices-count').textContent = String(devices.length);
    list.replaceChildren(...devices.map(row));
  }

  /** Runs one action with the buttons held, then says its outcome and lists the devices as they are now. */
  async function act(action) {
    for (const button of container.querySelectorAll('button')) button.disabled = true;
    try {
      say(await action());
    } catch (error) {
      say(`That did not work: ${error.message}`);
    } finally {
      test.disabled = false;
      await refresh().catch((error) => say(`The devices could not be listed: ${error.message}`));
    }
  }

  test.onclick = () =>
    act(async () => {
      const { delivered } = await push.test();
      return delivered > 0
        ? `Test push sent to ${delivered} ${delivered === 1 ? 'device' : 'devices'}.`
        : 'No push service took the test push.';
    });

  return {
    refresh,
    hide() {
      container.hidden = true;
      container.open = false;
      list.replaceChildren();
      say('');
    },
  };
}
