// Email as a rung of the ladder: the digest of a conversation, sent through SMTP (nodemailer). A failure
// throws, and the ladder retries the step with backoff until it is sent or the user reads.
import { createTransport } from 'nodemailer';
import type { StepContent } from '../../store/notification-content.ts';
import { composeDigest, type DigestLinks } from './digest-email.ts';
import type { NotificationChannel } from './ladder.ts';

export interface EmailChannelOptions {
  smtpUrl: string;
  from: string;
  /** The links of a user's digest of a conversation. */
  linksFor: (content: StepContent) => Promise<DigestLinks>;
  /** The sending host, for the ids that thread a conversation's digests. */
  domain: () => string;
  /** Gives up on an SMTP server that does not answer: the step is retried later. */
  timeoutMs: number;
}

export interface EmailChannel extends NotificationChannel {
  /** Closes the SMTP connections (shutdown). */
  close(): void;
}

export function createEmailChannel(options: EmailChannelOptions): EmailChannel {
  const transport = createTransport(
    {
      url: options.smtpUrl,
      // A few connections kept open and shared: a round of due digests must not open one each, which mail
      // providers throttle.
      pool: true,
      maxConnections: 4,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    },
    { from: options.from },
  );
  return {
    async reachable(content) {
      return content.user.email !== null;
    },
    async send(content) {
      const links = await options.linksFor(content);
      const digest = composeDigest(content, links, options.domain());
      if (!digest) return;
      await transport.sendMail({
        to: digest.to,
        subject: digest.subject,
        text: digest.text,
        html: digest.html,
        inReplyTo: digest.threadId,
        references: [digest.threadId],
        headers: digest.headers,
        ...(links.replyTo ? { replyTo: links.replyTo } : {}),
      });
    },
    close() {
      transport.close();
    },
  };
}
