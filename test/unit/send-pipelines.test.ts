import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/protocol/errors.ts';
import { createSendPipelines } from '../../src/server/domain/messages/send-pipelines.ts';

const busy = () => new ParleyError('unavailable', 'busy', { retryAfterMs: 250 });
const stored = (value: string) => async () => ({ storage: Promise.resolve(value) });
const refused = (error: ParleyError) => async () => {
  throw error;
};

describe('send pipelines', () => {
  it('refuses the later messages of a connection and conversation until the refused one comes again', async () => {
    const pipelines = createSendPipelines();
    await expect(pipelines.admit('tab1:c1', 'm1', refused(busy()))).rejects.toMatchObject({
      code: 'unavailable',
    });
    await expect(pipelines.admit('tab1:c1', 'm2', stored('m2'))).rejects.toMatchObject({
      code: 'unavailable',
      details: { retryAfterMs: 250 },
    });
    await expect(pipelines.admit('tab1:c2', 'x1', stored('x1'))).resolves.toBe('x1');
    await expect(pipelines.admit('tab2:c1', 'y1', stored('y1'))).resolves.toBe('y1');
    await expect(pipelines.admit('tab1:c1', 'm1', stored('m1'))).resolves.toBe('m1');
    await expect(pipelines.admit('tab1:c1', 'm2', stored('m2'))).resolves.toBe('m2');
  });

  it('repeats the refusal that stalled it, so a rate-limited sender is told rate_limited for what follows', async () => {
    const pipelines = createSendPipelines();
    const limited = new ParleyError('rate_limited', 'slow down', { retryAfterMs: 4000 });
    await expect(pipelines.admit('p', 'm1', refused(limited))).rejects.toMatchObject({
      code: 'rate_limited',
    });
    await expect(pipelines.admit('p', 'm2', stored('m2'))).rejects.toMatchObject({
      code: 'rate_limited',
      details: { retryAfterMs: 4000 },
    });
  });

  it('is not stalled by a refusal no retry can fix', async () => {
    const pipelines = createSendPipelines();
    await expect(
      pipelines.admit('p', 'm1', refused(new ParleyError('forbidden', 'no'))),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(pipelines.admit('p', 'm2', stored('m2'))).resolves.toBe('m2');
  });

  it('forgets a stall whose message never comes again', async () => {
    let clock = 0;
    const pipelines = createSendPipelines({ stallMs: 1000, now: () => clock });
    await expect(pipelines.admit('p', 'm1', refused(busy()))).rejects.toThrow();
    await expect(pipelines.admit('p', 'm2', stored('m2'))).rejects.toThrow();
    clock = 1001;
    await expect(pipelines.admit('p', 'm2', stored('m2'))).resolves.toBe('m2');
  });

  it('admits one message of a pipeline at a time, but does not wait for its storage', async () => {
    const pipelines = createSendPipelines();
    let release: (value: string) => void = () => {};
    const slow = new Promise<string>((resolve) => {
      release = resolve;
    });
    const first = pipelines.admit('p', 'm1', async () => ({ storage: slow }));
    await expect(pipelines.admit('p', 'm2', stored('m2'))).resolves.toBe('m2');
    release('m1');
    await expect(first).resolves.toBe('m1');
  });
});
