// The full-page chat's service worker: shows Parley's pushes as notifications, brings the chat forward
// when one is clicked, and keeps the app's shell so that an installed app opens without a network.
// Paths are relative to this file: the app works wherever Parley is served.
const SHELL_CACHE = 'parley-shell-v1';
const SHELL = [
  './',
  'index.html',
  'chat.css',
  'chat.js',
  'conversation-url.js',
  'demo-session.js',
  'unread-tab.js',
  'push-control.js',
  'push-devices.js',
  'parley-push.js',
  'widget.js',
  'manifest.webmanifest',
  'icons/icon-192.png',
  'icons/icon-512.png',
].map((path) => new URL(path, self.registration.scope).href);
const ICON = new URL('icons/icon-192.png', self.registration.scope).href;

self.addEventListener('install', (event) => {
  // A file missing from the cache is fetched again when online; it must not keep the worker out.
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => Promise.allSettled(SHELL.map((url) => cache.add(url)))),
  );
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => name !== SHELL_CACHE).map((name) => caches.delete(name))),
      )
      .then(() => self.clients.claim()),
  );
});

/** The shell's file a request asks for (a navigation to the app with any query is the app), or null. */
function shellEntry(request) {
  const url = new URL(request.url);
  if (request.mode === 'navigate' && url.href.startsWith(self.registration.scope)) url.search = '';
  url.hash = '';
  return SHELL.includes(url.href) ? url.href : null;
}

/**
 * The network first, so that a deploy shows at once; the kept copy only when the network fails. The API
 * and the socket always go to the network, never to a cache: their answers are one user's data, and two
 * people may sign in on one browser.
 */
self.addEventListener('fetch', (event) => {
  const entry = event.request.method === 'GET' ? shellEntry(event.request) : null;
  if (!entry) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      try {
        const response = await fetch(event.request);
        if (response.ok) await cache.put(entry, response.clone());
        return response;
      } catch (error) {
        const kept = await cache.match(entry);
        if (kept) return kept;
        throw error;
      }
    })(),
  );
});

/** A push Parley sent (PushPayload in src/protocol/push.ts); anything else still shows something. */
function payloadOf(data) {
  try {
    const payload = data?.json() ?? {};
    return {
      title: String(payload.title || 'Parley'),
      body: String(payload.body ?? ''),
      tag: String(payload.tag ?? ''),
      renotify: payload.renotify === true,
      url: String(payload.url || './'),
      conversationId: String(payload.conversationId ?? ''),
    };
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
}

self.addEventListener('push', (event) => {
  const payload = payloadOf(event.data);
  event.waitUntil(
    self.registration.showNotification(payload.title, {
      body: payload.body,
      icon: ICON,
      badge: ICON,
      // Without a tag there is nothing to replace, and browsers refuse `renotify` alone.
      ...(payload.tag ? { tag: payload.tag, renotify: payload.renotify } : {}),
      data: {
        url: new URL(payload.url, self.registration.scope).href,
        conversationId: payload.conversationId,
      },
    }),
  );
});

/** A window of the app (the page at the scope), the focused one first. */
async function appWindow() {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const ours = windows.filter((client) => {
    const url = new URL(client.url);
    return (
      url.origin + url.pathname === self.registration.scope ||
      client.url.startsWith(`${self.registration.scope}index.html`)
    );
  });
  return (
    ours.find((client) => client.focused) ??
    ours.find((client) => client.visibilityState === 'visible') ??
    ours[0]
  );
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const { url, conversationId } = event.notification.data ?? {};
  event.waitUntil(
    (async () => {
      const open = url?.startsWith(self.registration.scope) ? await appWindow() : undefined;
      if (!open) {
        await self.clients.openWindow(url ?? self.registration.scope);
        return;
      }
      // The open chat shows the conversation itself: no reload, and it keeps what the user typed.
      await open.focus();
      open.postMessage({ type: 'parley:open', url, conversationId });
    })(),
  );
});
