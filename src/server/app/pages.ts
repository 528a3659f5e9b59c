// Parley's own pages and the files they need, from public/ (and the page's part of the SDK, dist/page/):
// - always: the push worker a host's service worker imports, and the icons notifications show;
// - where there is a full-page chat (demo mode, or a host token route configured): the installable app —
//   its page, scripts, styles, manifest, service worker and `app-config.json`, which says how it signs in;
// - in demo mode only: the demo dashboard and the demo login's page script.
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FullPageApp } from '../config/full-page-app.ts';

const publicDir = fileURLToPath(new URL('../../../public/', import.meta.url));
/** What the page's scripts use of the SDK, built by `npm run build:page`. */
const pageSdkDir = fileURLToPath(new URL('../../../dist/page/', import.meta.url));

const ALWAYS = ['/push-worker.js', '/icons/'];
const DEMO_ONLY = ['/demo.html', '/dashboard.css', '/dashboard.js', '/demo-login.js', '/demo-session.js'];
const HOST_ONLY = ['/host-session.js'];
/** The service workers: a host's imports the push worker, across origins. */
const WORKERS = ['/sw.js', '/push-worker.js'];

function servedFor(app: FullPageApp | null): (path: string) => boolean {
  const listed = (paths: string[], path: string) =>
    paths.some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry));
  return (path) => {
    if (listed(ALWAYS, path)) return true;
    if (!app) return false;
    if (listed(DEMO_ONLY, path)) return app.signIn === 'demo';
    if (listed(HOST_ONLY, path)) return app.signIn === 'host';
    return true;
  };
}

/**
 * Service workers are checked for updates at every visit (browsers skip their HTTP cache for them unless
 * told otherwise, but a proxy may not): a deploy reaches installed apps and host pages at their next start.
 */
function pageHeaders(reply: FastifyReply, path: string): void {
  if (!WORKERS.some((worker) => path.endsWith(worker))) return;
  reply.header('cache-control', 'no-cache').header('service-worker-allowed', '/');
  if (path.endsWith('/push-worker.js')) reply.header('access-control-allow-origin', '*');
}

/** What the full-page chat reads first: how it gets the user's token. */
function appConfig(app: FullPageApp) {
  if (app.signIn === 'demo') return { signIn: 'demo' };
  return { signIn: 'host', tokenUrl: app.tokenUrl, signInUrl: app.signInUrl };
}

export async function registerPages(http: FastifyInstance, app: FullPageApp | null): Promise<void> {
  const served = servedFor(app);
  if (app) {
    const body = appConfig(app);
    http.get('/app-config.json', async (_request, reply) =>
      reply.header('cache-control', 'no-cache').send(body),
    );
  }
  await http.register(fastifyStatic, {
    root: [publicDir, pageSdkDir],
    // A directory's index only where there is a full-page chat: `/` is then the app.
    index: app ? ['index.html'] : false,
    allowedPath: (path) => served(path === '/' ? '/index.html' : path),
    setHeaders: pageHeaders,
  });
}
