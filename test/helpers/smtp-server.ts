// A real SMTP server on 127.0.0.1 for the notification tests: it takes mail as a provider's server would
// (or refuses it, while a test says it is down), and parses each message with mailparser.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createArrivals } from './events.ts';

export interface ReceivedMail {
  /** The envelope's recipients, as the sender's server gave them. */
  to: string[];
  from: string;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  url: string;
  mails: ReturnType<typeof createArrivals<ReceivedMail>>;
  /** While down, every message is refused with a temporary failure (as a server that is restarting). */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const mails = createArrivals<ReceivedMail>('emails');
  let down = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!down) return callback();
      const error = Object.assign(new Error('service not available, try again later'), { responseCode: 421 });
      callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.add({
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            parsed,
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    setDown: (value) => {
      down = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
