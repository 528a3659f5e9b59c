// Parley's own SMTP endpoint for replies to its digests (`PARLEY_INBOUND_SMTP_PORT`): it takes mail only for
// reply addresses, within the size limit, and answers as a mail server should — 250 once a reply is posted
// or refused with a direct message to its user, 550 for an address Parley did not make, 451 when a check
// must wait (the sending server tries again later), 552 over the size limit.
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { SMTPServer } from 'smtp-server';
import type { RateLimits } from '../../domain/limits/rate-limits.ts';
import type { InboundMail } from '../../domain/notifications/inbound-mail.ts';

export interface InboundSmtpDeps {
  host: string;
  port: number;
  /** Offered as STARTTLS; without it the endpoint is plain SMTP (for an MTA in front that does TLS). */
  tls: { key: string; cert: string } | null;
  maxBytes: number;
  inbound: InboundMail;
  rateLimits: RateLimits;
  log: FastifyBaseLogger;
}

const smtpError = (responseCode: number, message: string) =>
  Object.assign(new Error(message), { responseCode });

export async function startInboundSmtp({
  host,
  port,
  tls,
  maxBytes,
  inbound,
  rateLimits,
  log,
}: InboundSmtpDeps) {
  const server = new SMTPServer({
    // Replies arrive from other mail servers, which do not log in. Without a certificate of the operator's,
    // no STARTTLS: a self-signed one would only teach senders to skip verification.
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ? { key: tls.key, cert: tls.cert } : {}),
    size: maxBytes,
    logger: false,
    banner: 'Parley replies',
    onConnect(session, callback) {
      rateLimits.consume('connect', session.remoteAddress).then(
        () => callback(),
        () => callback(smtpError(421, 'too many connections; try again later')),
      );
    },
    onRcptTo(address, _session, callback) {
      if (inbound.isReplyAddress(address.address)) return callback();
      callback(smtpError(550, 'no such mailbox'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(smtpError(552, `message exceeds the size limit of ${maxBytes} bytes`));
        }
        inbound
          .receive(Buffer.concat(chunks), {
            recipients: session.envelope.rcptTo.map((recipient) => recipient.address),
            remoteAddress: session.remoteAddress,
            helo: session.hostNameAppearsAs,
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          })
          .then((outcome) => {
            if (outcome.kind === 'unknown_recipient') return callback(smtpError(550, 'no such mailbox'));
            if (outcome.kind === 'try_later')
              return callback(smtpError(451, `${outcome.reason}; try again later`));
            callback();
          })
          .catch((error: unknown) => {
            log.error({ err: error }, 'an email reply failed');
            callback(smtpError(451, 'temporary failure; try again later'));
          });
      });
    },
  });
  server.on('error', (error) => log.error({ err: error }, 'inbound SMTP server error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type InboundSmtp = Awaited<ReturnType<typeof startInboundSmtp>>;
