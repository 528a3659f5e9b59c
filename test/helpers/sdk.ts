// SDK clients for tests: a ParleyClient per user, with helpers to await what it shows.
import type { ParleyClient, ParleyClientOptions } from '../../src/client/index.ts';
import { createParleyClient } from '../../src/client/index.ts';

export function sdkClient(
  url: string,
  token: string | (() => Promise<string>),
  options: Partial<ParleyClientOptions> = {},
) {
  const client = createParleyClient({
    url,
    getToken: typeof token === 'string' ? async () => token : token,
    transports: ['websocket'],
    ...options,
  });
  return client;
}

/** Resolves when `predicate` holds, checking after every event the client emits. */
export function until(
  client: ParleyClient,
  predicate: () => boolean,
  timeoutMs = 15_000,
  label = 'condition',
): Promise<void> {
  return untilAll([client], predicate, timeoutMs, label);
}

/** Resolves when `predicate` holds, checking after every event any of the clients emits. */
export function untilAll(
  clients: readonly ParleyClient[],
  predicate: () => boolean,
  timeoutMs: number,
  label: string,
  explain: () => string = () => '',
): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const offs: (() => void)[] = [];
    const stop = () => {
      clearTimeout(timer);
      for (const off of offs) off();
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}\n${explain()}`));
    }, timeoutMs);
    const check = () => {
      if (!predicate()) return;
      stop();
      resolve();
    };
    for (const client of clients)
      for (const event of [
        'status',
        'conversations',
        'messages',
        'changed',
        'reset',
        'outbox',
        'typing',
        'presence',
      ] as const)
        offs.push(client.on(event, check));
  });
}

export async function connected(client: ParleyClient): Promise<ParleyClient> {
  client.connect();
  await until(client, () => client.status === 'connected', 15_000, 'connected');
  return client;
}

/** The seqs a client holds for a conversation, to compare with 1..n. */
export const seqsOf = (client: ParleyClient, conversationId: string) =>
  client.messages(conversationId).map((m) => m.seq);
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
