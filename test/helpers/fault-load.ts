import { memoryStorage, type ParleyClient } from '../../src/client/index.ts';
import { acme, knownPerson } from './access.ts';
import type { TestUser } from './clients.ts';
import { startChannel } from './conversations.ts';
import { type DeliveryLog, deliveryLog } from './fault-counts.ts';
import { connected, sdkClient, untilAll } from './sdk.ts';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A staff member of the internal organisation who has used Parley once, so they can be added to channels. */
export function member(baseUrl: string, label: string): Promise<TestUser> {
  return knownPerson(baseUrl, label, acme);
}

/**
 * The first member alone, so that the organisation exists before the others sign in at once: concurrent
 * first sight of a new organisation is a different behaviour from the faults these tests inject.
 */
export async function members(baseUrl: string, label: string, count: number): Promise<TestUser[]> {
  const first = await member(baseUrl, `${label}1`);
  const rest = await Promise.all(
    Array.from({ length: count - 1 }, (_, i) => member(baseUrl, `${label}${i + 2}`)),
  );
  return [first, ...rest];
}

/** A channel created by `creator` with `others` as members; returns its id. */
export async function channelOf(
  baseUrl: string,
  creator: TestUser,
  others: readonly TestUser[],
): Promise<string> {
  return (await startChannel(baseUrl, creator, others, 'fault')).id;
}

/** A member's client as the fault tests run it: outbox in memory, sends retried after three seconds unanswered. */
export function faultClient(url: string, token: string): ParleyClient {
  return sdkClient(url, token, { storage: memoryStorage(), ackTimeoutMs: 3000 });
}

/**
 * Connects the clients and opens the conversation in each, so that each keeps it gap-free from seq 1
 * across reconnects; returns what each appends from then on.
 */
export async function connectAndOpen(
  clients: readonly ParleyClient[],
  conversationId: string,
): Promise<DeliveryLog[]> {
  await Promise.all(clients.map(connected));
  await Promise.all(clients.map((client) => client.open(conversationId)));
  return clients.map(deliveryLog);
}

/** Calls `send` `count` times, one every 20–40 ms, as a user typing quickly would. */
export async function sendSteadily(
  send: (body: string) => unknown,
  label: string,
  count: number,
  random: () => number = Math.random,
): Promise<void> {
  for (let i = 1; i <= count; i++) {
    send(`${label} #${i}`);
    await sleep(20 + Math.round(random() * 20));
  }
}

/** Where each client stands in a conversation, for the message of a failed wait. */
export function clientStates(clients: readonly ParleyClient[], conversationId: string): string {
  const now = Date.now();
  return clients
    .map((client, i) => {
      const held = client.messages(conversationId);
      const pending = client.pending.map(
        (item) =>
          `${item.status}/${item.attempts}/${Math.max(0, item.notBefore - now)}ms${item.error ? `/${item.error.code}` : ''}`,
      );
      return `client ${i + 1}: ${client.status}, cursor ${client.cursor(conversationId)}, holds ${held.length}, pending ${pending.length} [${pending.slice(0, 3).join(', ')}]`;
    })
    .join('\n');
}

/** Resolves once every client's outbox is empty and it holds the conversation up to `total`. */
export function untilEveryoneHoldsAll(
  clients: readonly ParleyClient[],
  conversationId: string,
  total: number,
  timeoutMs: number,
  explainMore: () => string = () => '',
): Promise<void> {
  return untilAll(
    clients,
    () => clients.every((client) => client.pending.length === 0 && client.cursor(conversationId) >= total),
    timeoutMs,
    'every outbox drained and every client holding every message',
    () => `${clientStates(clients, conversationId)}${explainMore()}`,
  );
}
