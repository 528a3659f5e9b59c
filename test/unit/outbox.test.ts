import { describe, expect, it } from 'vitest';
import { isPermanent, Outbox, retryDelay } from '../../src/client/outbox.ts';
import { memoryStorage } from '../../src/client/storage.ts';

const draft = (clientMsgId: string, conversationId = 'c1') => ({
  clientMsgId,
  conversationId,
  body: `body ${clientMsgId}`,
  createdAt: new Date(0).toISOString(),
});

describe('outbox', () => {
  it('survives in storage until acknowledged', () => {
    const storage = memoryStorage();
    const outbox = new Outbox(storage, 'k');
    outbox.add(draft('a'));
    outbox.add(draft('b'));
    outbox.acknowledge('a');
    expect(new Outbox(storage, 'k').all.map((m) => m.clientMsgId)).toEqual(['b']);
  });

  it('sends a few messages per conversation without waiting for acks, oldest first', () => {
    const outbox = new Outbox(memoryStorage(), 'k', 2);
    for (const id of ['a1', 'a2', 'a3']) outbox.add(draft(id, 'a'));
    outbox.add(draft('b1', 'b'));
    expect(outbox.nextDue(0, new Set())?.clientMsgId).toBe('a1');
    expect(outbox.nextDue(0, new Set(['a1']))?.clientMsgId).toBe('a2');
    expect(outbox.nextDue(0, new Set(['a1', 'a2']))?.clientMsgId).toBe('b1');
    expect(outbox.nextDue(0, new Set(['a1', 'a2', 'b1']))).toBeUndefined();
  });

  it('sends nothing behind a message that waits for its retry, so that typing order is kept', () => {
    const outbox = new Outbox(memoryStorage(), 'k');
    for (const id of ['a1', 'a2', 'a3']) outbox.add(draft(id, 'a'));
    outbox.postpone('a1', 1000);
    expect(outbox.nextDue(0, new Set())).toBeUndefined();
    expect(outbox.nextDue(0, new Set(['a2']))).toBeUndefined();
    expect(outbox.nextRetryAt(new Set())).toBe(1000);
    expect(outbox.nextDue(1000, new Set())?.clientMsgId).toBe('a1');
  });

  it('waits out a postponement and keeps failed messages out of line until retried', () => {
    const outbox = new Outbox(memoryStorage(), 'k');
    outbox.add(draft('a'));
    outbox.postpone('a', 1000);
    expect(outbox.nextDue(999, new Set())).toBeUndefined();
    expect(outbox.nextRetryAt(new Set())).toBe(1000);
    expect(outbox.nextDue(1000, new Set())?.attempts).toBe(1);
    outbox.fail('a', { code: 'message_too_long', message: 'too long' });
    expect(outbox.nextDue(5000, new Set())).toBeUndefined();
    outbox.retry('a');
    expect(outbox.nextDue(0, new Set())).toMatchObject({ status: 'pending', attempts: 0 });
    expect(outbox.all[0]?.error).toBeUndefined();
  });

  it('replaces a corrupt stored outbox instead of failing', () => {
    const storage = memoryStorage();
    storage.set('k', '{not json');
    expect(new Outbox(storage, 'k').all).toEqual([]);
  });

  it('retries outages and rate limits, never validation errors', () => {
    expect(isPermanent({ code: 'unavailable', message: '' })).toBe(false);
    expect(isPermanent({ code: 'rate_limited', message: '' })).toBe(false);
    expect(isPermanent({ code: 'unauthorized', message: '' })).toBe(false);
    expect(isPermanent({ code: 'message_too_long', message: '' })).toBe(true);
    expect(isPermanent({ code: 'not_found', message: '' })).toBe(true);
  });

  it('backs off exponentially with jitter, up to 30 s, and honours the server hint', () => {
    expect(retryDelay(0, () => 0)).toBe(250);
    expect(retryDelay(0, () => 1)).toBe(500);
    expect(retryDelay(10, () => 1)).toBe(30_000);
    expect(retryDelay(0, () => 0, 4000)).toBe(4000);
  });
});

describe('outbox retry timing', () => {
  it('wakes up for a postponed head of line even when messages queue behind it', () => {
    const outbox = new Outbox(memoryStorage(), 'k');
    outbox.add(draft('a1', 'a'));
    outbox.add(draft('a2', 'a'));
    outbox.postpone('a1', 5000);
    expect(outbox.nextDue(0, new Set())).toBeUndefined();
    expect(outbox.nextRetryAt(new Set())).toBe(5000);
  });
});
