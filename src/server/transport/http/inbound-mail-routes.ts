// Reply by email through the host's mail provider: its inbound webhook posts each reply here with an API
// key of scope `email:inbound`. Registered in the host back-end scope, whose hook authenticates the key;
// without PARLEY_REPLY_DOMAIN it answers `not_configured`.
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../../../protocol/errors.ts';
import { inboundEmailRequestSchema } from '../../../protocol/notifications.ts';
import { parseInput } from '../../../protocol/validate.ts';
import type { InboundMail } from '../../domain/notifications/inbound-mail.ts';
import type { ApiKeyPrincipal, ApiKeys } from '../../domain/records/api-keys.ts';

export function registerInboundMailRoutes(
  app: FastifyInstance,
  { inbound, apiKeys, maxBytes }: { inbound: InboundMail | null; apiKeys: ApiKeys; maxBytes: number },
): void {
  // Base64 is 4 bytes for every 3, plus the envelope.
  app.post(
    '/api/inbound-email',
    { bodyLimit: Math.ceil((maxBytes * 4) / 3) + 64 * 1024 },
    async (request, reply) => {
      apiKeys.requireScope(
        (request as { apiKey: ApiKeyPrincipal | null }).apiKey as ApiKeyPrincipal,
        'email:inbound',
      );
      if (!inbound)
        throw new ParleyError(
          'not_configured',
          'this Parley takes no email replies (PARLEY_REPLY_DOMAIN is unset)',
        );
      const input = parseInput(inboundEmailRequestSchema, request.body);
      const raw = Buffer.from(input.raw, 'base64');
      if (raw.length > maxBytes) {
        throw new ParleyError('payload_too_large', `the message exceeds the size limit of ${maxBytes} bytes`);
      }
      const outcome = await inbound.receive(raw, input);
      switch (outcome.kind) {
        case 'posted':
          reply.status(201);
          return { outcome: 'posted', messageId: outcome.message.id };
        case 'refused':
          return { outcome: 'refused', reason: outcome.reason };
        case 'unknown_recipient':
          throw new ParleyError('not_found', 'no recipient is a reply address of this Parley');
        case 'try_later':
          throw new ParleyError('unavailable', `${outcome.reason}; retry later`, { retryAfterMs: 60_000 });
      }
    },
  );
}
