import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/protocol/errors.ts';
import type { Message } from '../../src/protocol/models.ts';
import {
  createAppendQueue,
  type SendObserver,
  type ShedReason,
} from '../../src/server/domain/messages/append-queue.ts';
import type { AppendedBatch, NewMessage } from '../../src/server/store/message-append.ts';
import { freshState } from '../helpers/message-state.ts';

const message = (clientMsgId: string, conversationId = 'c1', senderId = 'u1'): NewMessage => ({
  conversationId,
  senderId,
  clientMsgId,
  body: `body ${clientMsgId}`,
  mentions: [],
  kind: 'message',
});

/** A store that numbers what it is given per conversation and commits when the test says so. */
function controlledStore() {
  const batches: NewMessage[][] = [];
  const commits: (() => void)[] = [];
  const seqs = new Map<string, number>();
  const store = (messages: readonly NewMessage[]): Promise<AppendedBatch> => {
    batches.push([...messages]);
    return new Promise((resolve) => {
      commits.push(() =>
        resolve({
          messages: messages.map((m, i): Message => {
            const seq = (seqs.get(m.conversationId) ?? 0) + 1;
            seqs.set(m.conversationId, seq);
            return {
              ...m,
              id: `${batches.length}-${i}`,
              seq,
              createdAt: '',
              mentions: [],
              ...freshState(seq),
            };
          }),
          reopenedConversationIds: [],
        }),
      );
    });
  };
  const commitNext = async () => {
    await until(() => commits.length > 0);
    commits.shift()?.();
  };
  return { store, batches, commitNext };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/** What the queue told its observer: refusals by reason, batch sizes, fan-outs timed. */
function observed() {
  const heard = { shed: [] as ShedReason[], batches: [] as number[], fanOuts: 0 };
  const observer: SendObserver = {
    batchStored: (messages) => heard.batches.push(messages),
    fannedOut: (seconds) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      heard.fanOuts += 1;
    },
    shed: (reason) => heard.shed.push(reason),
  };
  return Object.assign(heard, { observer });
}

const roomy = { maxBatch: 100, maxWaiting: 1000, maxWaitMs: 60_000 };

describe('the append queue', () => {
  it('stores a lone send at once, and what arrives meanwhile together in the next batch', async () => {
    const { store, batches, commitNext } = controlledStore();
    const committed: string[][] = [];
    const queue = createAppendQueue({
      store,
      onCommitted: (batch) => {
        committed.push(batch.messages.map((m) => m.clientMsgId));
      },
      options: roomy,
    });
    const first = queue.append(message('a'));
    await until(() => batches.length === 1);
    const rest = ['b', 'c', 'd', 'e'].map((id) => queue.append(message(id, id === 'd' ? 'c2' : 'c1')));
    await commitNext();
    expect((await first)?.seq).toBe(1);
    await commitNext();
    const stored = await Promise.all(rest);
    expect(batches.map((batch) => batch.map((m) => m.clientMsgId))).toEqual([['a'], ['b', 'c', 'd', 'e']]);
    expect(stored.map((m) => `${m?.conversationId}:${m?.seq}`)).toEqual(['c1:2', 'c1:3', 'c2:1', 'c1:4']);
    expect(committed).toEqual([['a'], ['b', 'c', 'd', 'e']]);
    expect(queue.stats()).toMatchObject({ batches: 2, messages: 5, largestBatch: 4, shed: 0 });
  });

  it('fans a batch out before answering any of its senders', async () => {
    const { store, commitNext } = controlledStore();
    const order: string[] = [];
    const queue = createAppendQueue({
      store,
      onCommitted: () => {
        order.push('fan-out');
      },
      options: roomy,
    });
    const sent = queue.append(message('a')).then(() => order.push('answered'));
    await commitNext();
    await sent;
    expect(order).toEqual(['fan-out', 'answered']);
  });

  it('stores a resend waiting in the same batch once, and answers the resend with null to replay', async () => {
    const { store, batches, commitNext } = controlledStore();
    const queue = createAppendQueue({ store, onCommitted: () => {}, options: roomy });
    const blocker = queue.append(message('x'));
    await until(() => batches.length === 1);
    const original = queue.append(message('a'));
    const resend = queue.append(message('a'));
    await commitNext();
    await blocker;
    await commitNext();
    expect((await original)?.clientMsgId).toBe('a');
    expect(await resend).toBeNull();
    expect(batches[1]?.map((m) => m.clientMsgId)).toEqual(['a']);
  });

  it('refuses a send with a retryable unavailable once too many wait, instead of queueing it', async () => {
    const { store, batches, commitNext } = controlledStore();
    const heard = observed();
    const queue = createAppendQueue({
      store,
      onCommitted: () => {},
      observer: heard.observer,
      options: { maxBatch: 2, maxWaiting: 3, maxWaitMs: 60_000 },
    });
    const accepted = [queue.append(message('a'))];
    await until(() => batches.length === 1);
    accepted.push(queue.append(message('b')), queue.append(message('c')), queue.append(message('d')));
    const refusal = await queue.append(message('e')).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ParleyError);
    expect(refusal).toMatchObject({ code: 'unavailable', details: { retryAfterMs: expect.any(Number) } });
    expect((refusal as ParleyError).details.retryAfterMs).toBeGreaterThanOrEqual(100);
    for (let i = 0; i < 3; i++) await commitNext();
    expect((await Promise.all(accepted)).map((m) => m?.clientMsgId)).toEqual(['a', 'b', 'c', 'd']);
    expect(batches.map((batch) => batch.length)).toEqual([1, 2, 1]);
    expect(queue.stats().shed).toBe(1);
    expect(heard).toMatchObject({ shed: ['queue_full'], batches: [1, 2, 1], fanOuts: 3 });
  });

  it('refuses sends while the oldest waiting one has waited too long, or while the process is overloaded', async () => {
    const { store, batches, commitNext } = controlledStore();
    let clock = 0;
    let overloaded = false;
    const heard = observed();
    const queue = createAppendQueue({
      store,
      onCommitted: () => {},
      overloaded: () => overloaded,
      observer: heard.observer,
      options: { maxBatch: 100, maxWaiting: 1000, maxWaitMs: 300 },
      now: () => clock,
    });
    const first = queue.append(message('a'));
    await until(() => batches.length === 1);
    const waitingOne = queue.append(message('b'));
    clock = 301;
    await expect(queue.append(message('c'))).rejects.toMatchObject({ code: 'unavailable' });
    await commitNext();
    await first;
    await commitNext();
    await waitingOne;
    overloaded = true;
    await expect(queue.append(message('d'))).rejects.toMatchObject({ code: 'unavailable' });
    overloaded = false;
    const after = queue.append(message('e'));
    await commitNext();
    expect((await after)?.clientMsgId).toBe('e');
    expect(heard.shed).toEqual(['queue_slow', 'overloaded']);
    expect(heard.batches).toEqual([1, 1, 1]);
    expect(heard.fanOuts).toBe(3);
  });

  it('fails every send of a batch the store could not commit, and goes on with the next', async () => {
    let calls = 0;
    const queue = createAppendQueue({
      store: async (messages) => {
        calls += 1;
        if (calls === 1) throw new ParleyError('unavailable', 'the database is unavailable');
        return {
          messages: messages.map((m) => ({
            ...m,
            id: '1',
            seq: 1,
            createdAt: '',
            mentions: [],
            ...freshState(1),
          })),
          reopenedConversationIds: [],
        };
      },
      onCommitted: () => {},
      options: roomy,
    });
    await expect(queue.append(message('a'))).rejects.toMatchObject({ code: 'unavailable' });
    expect((await queue.append(message('b')))?.clientMsgId).toBe('b');
  });
});
