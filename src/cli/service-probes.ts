// Whether the services the configuration names answer: Redis to a PING, SMTP to a greeting and EHLO. Each
// gives up after a short timeout; failures name the host and port only, never the URL's password.
import { setTimeout as wait } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createTransport } from 'nodemailer';

/** host:port of a service URL, for messages. */
export function endpointOf(url: string, defaultPort: number): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || defaultPort}`;
}

function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ?? message ?? String(error);
}

async function within<T>(timeoutMs: number, work: Promise<T>): Promise<T> {
  const timeout = new AbortController();
  try {
    return await Promise.race([
      work,
      wait(timeoutMs, undefined, { signal: timeout.signal }).then(() => {
        throw new Error(`no answer within ${timeoutMs} ms`);
      }),
    ]);
  } finally {
    timeout.abort();
  }
}

/** Resolves when Redis answers PING; rejects with the reason it did not. */
export async function pingRedis(url: string, timeoutMs: number): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() then rejects with only "Connection is closed": the reason (ECONNREFUSED…) comes as an event.
  let cause: unknown;
  client.on('error', (error) => {
    cause = error;
  });
  try {
    await within(
      timeoutMs,
      client.connect().then(() => client.ping()),
    );
  } catch (error) {
    throw new Error(reasonOf(cause ?? error));
  } finally {
    client.disconnect();
  }
}

/** Resolves when the SMTP server greets and accepts EHLO (and the login, if the URL carries one). */
export async function verifySmtp(url: string, timeoutMs: number): Promise<void> {
  const transport = createTransport({
    url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await within(timeoutMs, transport.verify());
  } catch (error) {
    throw new Error(reasonOf(error));
  } finally {
    transport.close();
  }
}
