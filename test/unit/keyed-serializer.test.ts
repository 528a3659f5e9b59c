import { describe, expect, it } from 'vitest';
import { createKeyedSerializer } from '../../src/server/domain/messages/keyed-serializer.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('keyed serializer', () => {
  it('runs work for one key in call order and for different keys side by side', async () => {
    const serialize = createKeyedSerializer();
    const log: string[] = [];
    const task = (key: string, name: string, delays: number) =>
      serialize(key, async () => {
        log.push(`start ${name}`);
        for (let i = 0; i < delays; i++) await tick();
        log.push(`end ${name}`);
        return name;
      });
    const results = await Promise.all([task('a', 'a1', 3), task('a', 'a2', 0), task('b', 'b1', 1)]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('reports a failure to its caller and goes on with the next task', async () => {
    const serialize = createKeyedSerializer();
    const failing = serialize('a', async () => {
      throw new Error('boom');
    });
    const next = serialize('a', async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
