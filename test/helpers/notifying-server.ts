// A Parley server that sends email, for the notification tests: a real SMTP server on 127.0.0.1 catches
// every digest, and Parley's public URL is the port it listens on (its links must work), so a port is
// chosen before it starts. Also the polling these tests wait with: the ladder works on its own clock.
import { createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { ParleyServer } from '../../src/server/app.ts';
import {
  createTestStorage,
  type Driver,
  startTestServer,
  type TestServerOptions,
  type TestStorage,
} from './server.ts';
import { startSmtpServer, type TestSmtpServer } from './smtp-server.ts';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface NotifyingServer {
  server: ParleyServer;
  smtp: TestSmtpServer;
  url: string;
  close(): Promise<void>;
}

/** The suite's notifying server, started in its beforeAll and stopped in its afterAll; read it in tests. */
export function useNotifyingServer(
  driver: Driver,
  options: TestServerOptions = {},
): Omit<NotifyingServer, 'close'> {
  let running: NotifyingServer | undefined;
  beforeAll(async () => {
    running = await startNotifyingServer(driver, options);
  });
  afterAll(async () => {
    await running?.close();
  });
  const current = () => {
    if (!running) throw new Error('the notifying server starts in beforeAll');
    return running;
  };
  return {
    get server() {
      return current().server;
    },
    get smtp() {
      return current().smtp;
    },
    get url() {
      return current().url;
    },
  };
}

export async function startNotifyingServer(
  driver: Driver,
  options: TestServerOptions = {},
): Promise<NotifyingServer> {
  const smtp = await startSmtpServer();
  const storage: TestStorage = await createTestStorage(driver);
  const port = await freePort();
  const server = await startTestServer(storage, {
    ...options,
    env: {
      PORT: String(port),
      PARLEY_PUBLIC_URL: `http://127.0.0.1:${port}`,
      PARLEY_SMTP_URL: smtp.url,
      PARLEY_MAIL_FROM: 'Parley <parley@axiom.example.test>',
      PARLEY_NOTIFY_TICK_MS: '50',
      ...options.env,
    },
  });
  return {
    server,
    smtp,
    url: server.url,
    async close() {
      await server.close();
      await storage.destroy();
      await smtp.close();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it answers something, or fails naming `what`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Makes the user's armed email steps due now, once one is armed: the delays pass in an instant. */
export async function emailDueNow(
  server: ParleyServer,
  userId: string,
  conversationId?: string,
): Promise<void> {
  await eventually('an armed email step', async () => {
    const rows = await server.db.query(
      `update notification_steps set due_at = now()
       where user_id = $1 and step = 'email' and status = 'pending' and ($2::text is null or conversation_id = $2)
       returning 1`,
      [userId, conversationId ?? null],
    );
    return rows.length > 0 ? true : undefined;
  });
}
