// REST routes for notification settings (the user's own and the company's defaults), the test email, and
// the unsubscribe links emails carry, which work without a login.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ParleyError } from '../../../protocol/errors.ts';
import {
  type NotificationDefaults,
  type NotificationSettings,
  notificationDefaultsUpdateSchema,
  notificationSettingsUpdateSchema,
  unsubscribeQuerySchema,
} from '../../../protocol/notifications.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { RateLimits } from '../../domain/limits/rate-limits.ts';
import type { NotificationSettingsService } from '../../domain/notifications/notification-settings.ts';
import { userOf } from './authenticate.ts';
import { unsubscribePage } from './unsubscribe-page.ts';

export function registerNotificationRoutes(
  app: FastifyInstance,
  settings: NotificationSettingsService,
): void {
  app.get(
    '/api/me/notification-settings',
    async (request): Promise<{ settings: NotificationSettings }> => ({
      settings: await settings.settingsOf(userOf(request)),
    }),
  );

  app.patch('/api/me/notification-settings', async (request): Promise<{ settings: NotificationSettings }> => {
    const update = parseInput(notificationSettingsUpdateSchema, request.body);
    return { settings: await settings.update(userOf(request), update) };
  });

  app.post('/api/me/notifications/test-email', async (request, reply) => {
    await settings.sendTestEmail(userOf(request));
    reply.status(202);
    return { sent: true };
  });

  app.get(
    '/api/admin/notification-defaults',
    async (request): Promise<{ defaults: NotificationDefaults }> => ({
      defaults: await settings.defaults(userOf(request)),
    }),
  );

  app.patch(
    '/api/admin/notification-defaults',
    async (request): Promise<{ defaults: NotificationDefaults }> => {
      const update = parseInput(notificationDefaultsUpdateSchema, request.body);
      return { defaults: await settings.updateDefaults(userOf(request), update) };
    },
  );
}

export interface UnsubscribeRoutesDeps {
  settings: NotificationSettingsService;
  rateLimits: RateLimits;
}

/**
 * `GET /unsubscribe?token=…` asks to confirm (link scanners open every link: a GET changes nothing);
 * `POST` unsubscribes — the form on that page, and mail clients' one-click (RFC 8058) alike.
 */
export function registerUnsubscribeRoutes(
  app: FastifyInstance,
  { settings, rateLimits }: UnsubscribeRoutesDeps,
): void {
  // Mail clients post `List-Unsubscribe=One-Click` as a form; the token in the path says everything.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, _body, done) => done(null, null),
  );
  async function answer(reply: FastifyReply, work: () => Promise<Parameters<typeof unsubscribePage>[0]>) {
    reply.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    );
    reply.header('referrer-policy', 'no-referrer');
    reply.type('text/html; charset=utf-8');
    try {
      return unsubscribePage(await work());
    } catch (error) {
      if (!(error instanceof ParleyError) || error.code !== 'invalid_link') throw error;
      reply.status(error.status);
      return unsubscribePage({ state: 'invalid' });
    }
  }

  app.get('/unsubscribe', async (request, reply) => {
    await rateLimits.consume('event', request.ip);
    const { token } = parseInput(unsubscribeQuerySchema, request.query);
    return answer(reply, async () => ({ state: 'confirm', what: settings.check(token), token }));
  });

  app.post('/unsubscribe', async (request, reply) => {
    await rateLimits.consume('write', request.ip);
    const { token } = parseInput(unsubscribeQuerySchema, request.query);
    return answer(reply, async () => ({ state: 'done', what: await settings.unsubscribe(token) }));
  });
}
