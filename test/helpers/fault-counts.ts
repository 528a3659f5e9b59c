// What fault tests count: the sends each user made and had acknowledged, the rows the database stored and
// what every member's client holds, summed into one line of counts that must show zero loss and duplicates.
import pg from 'pg';
import { expect } from 'vitest';
import type { ParleyClient } from '../../src/client/index.ts';
import type { Message } from '../../src/protocol/models.ts';
import { range, seqsOf } from './sdk.ts';

/** One user's sends: every clientMsgId they wrote, and those the server acknowledged. */
export class SendLog {
  readonly sent = new Set<string>();
  readonly acked = new Set<string>();
}

/**
 * Sends through the client's outbox and records the acknowledgements: a message that leaves the outbox
 * without being marked failed was acknowledged (these tests never discard).
 */
export function trackedSender(client: ParleyClient) {
  const log = new SendLog();
  client.on('outbox', (pending) => {
    const waiting = new Set(pending.map((item) => item.clientMsgId));
    for (const id of log.sent) if (!waiting.has(id)) log.acked.add(id);
  });
  return {
    log,
    send(conversationId: string, body: string): string {
      const { clientMsgId } = client.send(conversationId, body);
      log.sent.add(clientMsgId);
      return clientMsgId;
    },
  };
}

/** Counts every seq a client appended per conversation, so a seq appended twice shows as a duplicate. */
export function deliveryLog(client: ParleyClient) {
  const appended = new Map<string, Map<number, number>>();
  let resets = 0;
  client.on('messages', (conversationId, messages) => {
    const counts = appended.get(conversationId) ?? new Map<number, number>();
    for (const message of messages) counts.set(message.seq, (counts.get(message.seq) ?? 0) + 1);
    appended.set(conversationId, counts);
  });
  client.on('reset', () => {
    resets += 1;
  });
  return {
    /** Seqs appended more than once (each extra append counts one). */
    duplicateAppends(conversationId: string): number {
      let extra = 0;
      for (const count of appended.get(conversationId)?.values() ?? []) extra += count - 1;
      return extra;
    },
    get resets() {
      return resets;
    },
  };
}

export type DeliveryLog = ReturnType<typeof deliveryLog>;

export interface StoredMessage {
  seq: number;
  senderId: string;
  clientMsgId: string;
  body: string;
}

/** Every stored message of each conversation, by seq, read straight from PostgreSQL. */
export async function storedMessages(
  databaseUrl: string,
  conversationIds: readonly string[],
): Promise<Map<string, StoredMessage[]>> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<StoredMessage & { conversationId: string }>(
      `select conversation_id as "conversationId", seq, sender_id as "senderId",
              client_msg_id as "clientMsgId", body
       from messages where conversation_id = any($1::text[]) order by conversation_id, seq`,
      [conversationIds],
    );
    const byConversation = new Map<string, StoredMessage[]>(conversationIds.map((id) => [id, []]));
    for (const { conversationId, ...message } of rows) byConversation.get(conversationId)?.push(message);
    return byConversation;
  } finally {
    await client.end();
  }
}

/** A held or stored message reduced to what must match between a client and the database. */
export const comparable = (message: Message | StoredMessage) => ({
  seq: message.seq,
  senderId: message.senderId,
  clientMsgId: message.clientMsgId,
  body: message.body,
});

export interface DeliveryCounts {
  sent: number;
  acked: number;
  stored: number;
  /** Messages held per (member, conversation): the fewest and the most. */
  deliveredMin: number;
  deliveredMax: number;
  /** Sends never stored, acknowledged ones among them. */
  lost: number;
  ackedLost: number;
  /** Stored twice for one (sender, clientMsgId), held twice by a client, or appended twice. */
  duplicates: number;
  /** Seqs missing from the stored run 1..N or from what a member holds of it. */
  gaps: number;
  /** Held messages that differ from the stored one with the same seq. */
  mismatches: number;
}

export interface MemberView {
  client: ParleyClient;
  conversationId: string;
  deliveries?: DeliveryLog;
}

export function countDelivery(
  logs: readonly SendLog[],
  stored: ReadonlyMap<string, readonly StoredMessage[]>,
  views: readonly MemberView[],
): DeliveryCounts {
  const all = [...stored.values()].flat();
  const storedIds = new Map<string, number>();
  for (const message of all) {
    const key = `${message.senderId}\u0000${message.clientMsgId}`;
    storedIds.set(key, (storedIds.get(key) ?? 0) + 1);
  }
  const storedClientMsgIds = new Set(all.map((message) => message.clientMsgId));
  const sent = logs.flatMap((log) => [...log.sent]);
  const acked = logs.flatMap((log) => [...log.acked]);

  let duplicates = [...storedIds.values()].reduce((sum, count) => sum + count - 1, 0);
  let gaps = 0;
  for (const messages of stored.values())
    gaps += missingFromRun(
      messages.map((m) => m.seq),
      messages.length,
    );

  const delivered: number[] = [];
  let mismatches = 0;
  for (const { client, conversationId, deliveries } of views) {
    const held = client.messages(conversationId);
    const expected = stored.get(conversationId) ?? [];
    const heldSeqs = held.map((message) => message.seq);
    delivered.push(held.length);
    duplicates += held.length - new Set(heldSeqs).size + (deliveries?.duplicateAppends(conversationId) ?? 0);
    gaps += missingFromRun(heldSeqs, expected.length);
    const bySeq = new Map(expected.map((message) => [message.seq, message]));
    for (const message of held) {
      const original = bySeq.get(message.seq);
      if (!original || JSON.stringify(comparable(original)) !== JSON.stringify(comparable(message)))
        mismatches += 1;
    }
  }

  return {
    sent: sent.length,
    acked: acked.length,
    stored: all.length,
    deliveredMin: delivered.length > 0 ? Math.min(...delivered) : 0,
    deliveredMax: delivered.length > 0 ? Math.max(...delivered) : 0,
    lost: sent.filter((id) => !storedClientMsgIds.has(id)).length,
    ackedLost: acked.filter((id) => !storedClientMsgIds.has(id)).length,
    duplicates,
    gaps,
    mismatches,
  };
}

/** How many of 1..n are missing from `seqs`. */
function missingFromRun(seqs: readonly number[], n: number): number {
  const present = new Set(seqs);
  let missing = 0;
  for (let seq = 1; seq <= n; seq++) if (!present.has(seq)) missing += 1;
  return missing;
}

/** The one line each fault test prints. */
export function formatCounts(
  test: string,
  counts: DeliveryCounts,
  extra: Record<string, unknown> = {},
): string {
  const fields = {
    sent: counts.sent,
    acked: counts.acked,
    stored: counts.stored,
    delivered: `${counts.deliveredMin}..${counts.deliveredMax}`,
    lost: counts.lost,
    ackedLost: counts.ackedLost,
    duplicates: counts.duplicates,
    gaps: counts.gaps,
    mismatches: counts.mismatches,
    ...extra,
  };
  return `[${test}] ${Object.entries(fields)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ')}`;
}

export interface DeliveryCheck {
  /** The name the counts line starts with. */
  test: string;
  databaseUrl: string;
  logs: readonly SendLog[];
  views: readonly MemberView[];
  /** How many messages each conversation must hold, every one sent and acknowledged. */
  perConversation: number;
  /** More fields for the counts line. */
  extra: Record<string, unknown>;
}

/**
 * Prints the counts line and asserts the fault tests' verdict: every send stored and acknowledged once,
 * and every member's client holding exactly what the database stored, seq 1 to the last. Returns what
 * was stored, for checks of a test's own.
 */
export async function expectEveryMessageOnce(check: DeliveryCheck): Promise<Map<string, StoredMessage[]>> {
  const conversationIds = [...new Set(check.views.map((view) => view.conversationId))];
  const stored = await storedMessages(check.databaseUrl, conversationIds);
  const counts = countDelivery(check.logs, stored, check.views);
  console.log(formatCounts(check.test, counts, check.extra));

  const total = conversationIds.length * check.perConversation;
  expect(counts).toMatchObject({ sent: total, acked: total, stored: total });
  expect(counts).toMatchObject({ lost: 0, ackedLost: 0, duplicates: 0, gaps: 0, mismatches: 0 });
  for (const { client, conversationId } of check.views) {
    expect(seqsOf(client, conversationId)).toEqual(range(1, check.perConversation));
    expect(client.messages(conversationId).map(comparable)).toEqual(
      (stored.get(conversationId) ?? []).map(comparable),
    );
  }
  return stored;
}
