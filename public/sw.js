// The full-page chat's service worker: keeps the app's shell so that an installed app opens without a
// network, and shows Parley's pushes (push-worker.js, which a host's own worker takes too).
// Paths are relative to this file: the app works wherever Parley is served.
importScripts('push-worker.js');

const SHELL_CACHE = 'parley-shell-v1';
const SHELL = [
  './',
  'index.html',
  'chat.css',
  'chat.js',
  'conversation-url.js',
  'app-config.json',
  'demo-login.js',
  'demo-session.js',
  'host-session.js',
  'parley-token.js',
  'unread-tab.js',
  'push-control.js',
  'push-devices.js',
  'push-worker.js',
  'parley-push.js',
  'widget.js',
  'manifest.webmanifest',
  'icons/icon-192.png',
  'icons/icon-512.png',
].map((path) => new URL(path, self.registration.scope).href);

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
