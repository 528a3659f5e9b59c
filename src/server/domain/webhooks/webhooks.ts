// Registering outgoing webhooks and reading their delivery log: internal admins only. The secret is
// generated here and shown once, in the answer to the creation.
import { randomBytes, randomUUID } from 'node:crypto';
import { ParleyError } from '../../../protocol/errors.ts';
import { isHttpUrl } from '../../../protocol/http-url.ts';
import type { User } from '../../../protocol/models.ts';
import type {
  CreatedWebhook,
  CreateWebhookRequest,
  Webhook,
  WebhookDeliveriesQuery,
  WebhookDelivery,
} from '../../../protocol/webhooks.ts';
import type { Database } from '../../store/db.ts';
import { listDeliveries } from '../../store/webhook-deliveries.ts';
import {
  deleteWebhook,
  disableWebhook,
  findWebhook,
  insertWebhook,
  listWebhooks,
} from '../../store/webhooks.ts';
import type { Directory } from '../access/directory.ts';
import type { Destinations } from '../outbound/destinations.ts';
import type { WebhookDispatcher } from './dispatcher.ts';

export interface WebhooksDeps {
  db: Database;
  directory: Pick<Directory, 'requireParleyAdmin'>;
  /** Told after every change, so that this node's next message already follows it. */
  dispatcher: Pick<WebhookDispatcher, 'refresh'>;
  /** Refuses URLs that point at internal addresses; deliveries check again when they connect. */
  destinations: Pick<Destinations, 'admit'>;
  newId?: () => string;
}

/** 32 random bytes, base64url: what the receiver keys its HMAC with. */
function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function webhookNotFound(id: string): ParleyError {
  return new ParleyError('not_found', `unknown webhook: ${id}`);
}

export function createWebhooks({
  db,
  directory,
  dispatcher,
  destinations,
  newId = randomUUID,
}: WebhooksDeps) {
  const requireAdmin = (user: User) => directory.requireParleyAdmin(user);

  return {
    async create(actor: User, request: CreateWebhookRequest): Promise<CreatedWebhook> {
      const admin = await requireAdmin(actor);
      // The request schema checks this too; the domain holds the rule for any other caller.
      if (!isHttpUrl(request.url)) throw new ParleyError('invalid_payload', 'a webhook URL must be http(s)');
      await destinations.admit(new URL(request.url));
      const secret = newSecret();
      const webhook = await insertWebhook(db, {
        id: newId(),
        url: request.url,
        secret,
        events: request.events,
        createdBy: admin.id,
      });
      await dispatcher.refresh();
      return { ...webhook, secret };
    },

    async list(actor: User): Promise<Webhook[]> {
      await requireAdmin(actor);
      return listWebhooks(db);
    },

    /** Stops new deliveries at once and gives up pending ones; the webhook and its log stay readable. */
    async disable(actor: User, id: string): Promise<Webhook> {
      await requireAdmin(actor);
      const webhook = await disableWebhook(db, id);
      if (!webhook) throw webhookNotFound(id);
      await dispatcher.refresh();
      return webhook;
    },

    /** Removes the webhook and its delivery log. */
    async remove(actor: User, id: string): Promise<void> {
      await requireAdmin(actor);
      if (!(await deleteWebhook(db, id))) throw webhookNotFound(id);
      await dispatcher.refresh();
    },

    /** The delivery log, latest first. */
    async deliveries(actor: User, id: string, page: WebhookDeliveriesQuery): Promise<WebhookDelivery[]> {
      await requireAdmin(actor);
      if (!(await findWebhook(db, id))) throw webhookNotFound(id);
      return listDeliveries(db, id, page);
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
