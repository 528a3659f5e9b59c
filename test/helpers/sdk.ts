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
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const offs: (() => void)[] = [];
    const timer = setTimeout(() => {
      for (const off of offs) off();
      reject(new Error(`timed out waiting for ${label}`));
    }, timeoutMs);
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      for (const off of offs) off();
      resolve();
    };
    for (const event of [
      'status',
      'conversations',
      'messages',
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
