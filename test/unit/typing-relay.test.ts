// The typing domain: only a connection that hears the conversation may signal, and its signal reaches the
// conversation's other members through the fan-out, never the typist's own tabs.
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/protocol/errors.ts';
import type { User } from '../../src/protocol/models.ts';
import { createTyping } from '../../src/server/domain/typing/typing.ts';
import type { FanOut } from '../../src/server/fanout/fanout.ts';

const ana: User = {
  id: 'ana',
  displayName: 'Ana',
  email: null,
  orgId: 'axiom',
  orgKind: 'internal',
  role: 'member',
};

function recordingFanOut(subscriptions: Record<string, string[]>) {
  const relayed: { conversationId: string; exceptUser: string; payload: unknown }[] = [];
  const fanOut = {
    isSubscribed: (connectionId: string, conversationId: string) =>
      subscriptions[connectionId]?.includes(conversationId) ?? false,
    toConversationExceptUser: (
      conversationId: string,
      exceptUser: string,
      _event: string,
      payload: unknown,
    ) => relayed.push({ conversationId, exceptUser, payload }),
  } as unknown as FanOut;
  return { fanOut, relayed };
}

describe('typing', () => {
  it('relays a signal to the conversation but the typist, from a connection that hears it', () => {
    const { fanOut, relayed } = recordingFanOut({ s1: ['c1'] });
    createTyping({ fanOut, relayIntervalMs: 0 }).signal('s1', ana, 'c1', true);
    expect(relayed).toEqual([
      {
        conversationId: 'c1',
        exceptUser: 'ana',
        payload: { conversationId: 'c1', userId: 'ana', typing: true },
      },
    ]);
  });

  it('answers not found, and relays nothing, for a conversation the connection does not hear', () => {
    const { fanOut, relayed } = recordingFanOut({ s1: ['c1'] });
    const typing = createTyping({ fanOut, relayIntervalMs: 0 });
    expect(() => typing.signal('s1', ana, 'c2', true)).toThrow(ParleyError);
    expect(() => typing.signal('s2', ana, 'c1', true)).toThrow(ParleyError);
    expect(relayed).toEqual([]);
  });
});
