// Serves the widget bundle: `/widget.js` for the one-tag embed (revalidated every few minutes, so a
// deploy reaches every dashboard soon) and `/widget.<hash>.js`, immutable, for hosts that pin a version
// with Subresource Integrity (the manifest gives the hash).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface WidgetManifest {
  file: string;
  hashed: string;
  integrity: string;
  bytes: number;
  gzipBytes: number;
}

export interface WidgetBundle {
  manifest: WidgetManifest;
  source: Buffer;
}

/** Reads the built widget; null when `npm run build` has not run. */
export function loadWidgetBundle(dir: string): WidgetBundle | null {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as WidgetManifest;
    return { manifest, source: readFileSync(join(dir, manifest.file)) };
  } catch {
    // Not built: the routes below answer with how to build it instead of failing the server.
    return null;
  }
}

export function registerWidgetRoutes(app: FastifyInstance, bundle: WidgetBundle | null): void {
  const send = (cacheControl: string) => async (_request: unknown, reply: FastifyReply) => {
    if (!bundle) {
      return reply
        .status(404)
        .send({ error: { code: 'not_found', message: 'the widget is not built: run npm run build' } });
    }
    return (
      reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', cacheControl)
        // Host pages load it cross-origin, with `crossorigin` when they pin it by integrity.
        .header('access-control-allow-origin', '*')
        .header('etag', `"${bundle.manifest.hashed}"`)
        .send(bundle.source)
    );
  };
  app.get('/widget.js', send('public, max-age=300, stale-while-revalidate=86400'));
  app.get('/widget/manifest.json', async (_request, reply) =>
    bundle
      ? bundle.manifest
      : reply.status(404).send({ error: { code: 'not_found', message: 'the widget is not built' } }),
  );
  if (bundle) app.get(`/${bundle.manifest.hashed}`, send('public, max-age=31536000, immutable'));
}
