// Parley's pushes in a service worker: shows each as a notification and, on a click, brings forward a window
// already showing its page (which the chat there is told to open the conversation in) or opens one. Both the
// full-page chat's worker (sw.js) and a host dashboard's own worker take it with one line:
//   importScripts('https://chat.example.com/push-worker.js');
// A browser keeps one push subscription per worker registration, so a host's worker for Parley is its own,
// registered at a scope of its own (docs/notifications.md): every push it receives is Parley's.

/** A push Parley sent (PushPayload in src/protocol/push.ts); anything else still shows something. */
function payloadOf(data) {
  let payload;
  try {
    payload = data?.json() ?? {};
  } catch {
    // Not JSON: shown as text rather than dropped (a browser penalises a push that shows nothing).
    return {
      title: 'Parley',
      body: data?.text() ?? '',
      tag: '',
      renotify: false,
      url: './',
      conversationId: '',
    };
  }
  return {
    title: String(payload.title || 'Parley'),
    body: String(payload.body ?? ''),
    tag: String(payload.tag ?? ''),
    renotify: payload.renotify === true,
    url: String(payload.url || './'),
    conversationId: String(payload.conversationId ?? ''),
    icon: typeof payload.icon === 'string' ? payload.icon : undefined,
  };
}

self.addEventListener('push', (event) => {
  const payload = payloadOf(event.data);
  const icon = payload.icon ?? new URL('icons/icon-192.png', self.registration.scope).href;
  event.waitUntil(
    self.registration.showNotification(payload.title, {
      body: payload.body,
      icon,
      badge: icon,
      // Without a tag there is nothing to replace, and browsers refuse `renotify` alone.
      ...(payload.tag ? { tag: payload.tag, renotify: payload.renotify } : {}),
      data: {
        url: new URL(payload.url, self.registration.scope).href,
        conversationId: payload.conversationId,
      },
    }),
  );
});

const pageOf = (href) => {
  const url = new URL(href);
  return url.origin + url.pathname.replace(/\/index\.html$/, '/');
};

/** A window showing the page `url` names (whatever its query), the focused one first. */
async function windowShowing(url) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const showing = windows.filter((client) => pageOf(client.url) === pageOf(url));
  return (
    showing.find((client) => client.focused) ??
    showing.find((client) => client.visibilityState === 'visible') ??
    showing[0]
  );
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const { url, conversationId } = event.notification.data ?? {};
  event.waitUntil(
    (async () => {
      const open = url?.startsWith(self.location.origin) ? await windowShowing(url) : undefined;
      if (!open) {
        await self.clients.openWindow(url ?? self.registration.scope);
        return;
      }
      // The open chat shows the conversation itself: no reload, and it keeps what the user typed.
      open.postMessage({ type: 'parley:open', url, conversationId });
      await open.focus();
    })(),
  );
});
