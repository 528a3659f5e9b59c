// Serves the widget bundle: `/widget.js` for the one-tag embed (revalidated every few minutes, so a
// deploy reaches every dashboard soon) and `/widget.<hash>.js`, immutable, for hosts that pin a version
// with Subresource Integrity (the manifest gives the hash), and the extras chunk both load on first use
// (`/widget-extras.<hash>.js`, immutable: its name and integrity are built into the main bundle).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

interface BuiltFile {
  file: string;
  integrity: string;
  bytes: number;
  gzipBytes: number;
}

export interface WidgetManifest extends BuiltFile {
  hashed: string;
  /** The lazily loaded chunk (decision 014). */
  extras: BuiltFile;
}

export interface WidgetBundle {
  manifest: WidgetManifest;
  source: Buffer;
  extras: Buffer;
}

/** Reads the built widget; null when `npm run build` has not run. */
export function loadWidgetBundle(dir: string): WidgetBundle | null {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as WidgetManifest;
    return {
      manifest,
      source: readFileSync(join(dir, manifest.file)),
      extras: readFileSync(join(dir, manifest.extras.file)),
    };
  } catch {
    // Not built: the routes below answer with how to build it instead of failing the server.
    return null;
  }
}

export function registerWidgetRoutes(app: FastifyInstance, bundle: WidgetBundle | null): void {
  const send =
    (cacheControl: string, pick: (built: WidgetBundle) => { source: Buffer; etag: string }) =>
    async (_request: unknown, reply: FastifyReply) => {
      if (!bundle) {
        return reply
          .status(404)
          .send({ error: { code: 'not_found', message: 'the widget is not built: run npm run build' } });
      }
      const { source, etag } = pick(bundle);
      return (
        reply
          .header('content-type', 'text/javascript; charset=utf-8')
          .header('cache-control', cacheControl)
          // Host pages load it cross-origin, with `crossorigin` when they pin it by integrity (the widget
          // always loads its chunk so).
          .header('access-control-allow-origin', '*')
          .header('etag', `"${etag}"`)
          .send(source)
      );
    };
  const main = (built: WidgetBundle) => ({ source: built.source, etag: built.manifest.hashed });
  const immutable = 'public, max-age=31536000, immutable';
  app.get('/widget.js', send('public, max-age=300, stale-while-revalidate=86400', main));
  app.get('/widget/manifest.json', async (_request, reply) =>
    bundle
      ? bundle.manifest
      : reply.status(404).send({ error: { code: 'not_found', message: 'the widget is not built' } }),
  );
  if (!bundle) return;
  app.get(`/${bundle.manifest.hashed}`, send(immutable, main));
  app.get(
    `/${bundle.manifest.extras.file}`,
    send(immutable, (built) => ({ source: built.extras, etag: built.manifest.extras.file })),
  );
}
