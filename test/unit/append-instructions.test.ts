// What the messages domain tells the append to check and do: the store executes it, deciding nothing.
import { describe, expect, it } from 'vitest';
import {
  admittedMentions,
  appendInstructionsFor,
} from '../../src/server/domain/messages/append-instructions.ts';

describe('append instructions', () => {
  it("require a person's message to come from a member, and tell webhooks unless its audience is another organisation", () => {
    expect(appendInstructionsFor('message')).toEqual({
      requireMembership: true,
      notifyWebhooks: true,
      webhooksNeedCompanyAudience: true,
    });
  });

  it("let a host's record event in without its bot being a member, and tell webhooks", () => {
    expect(appendInstructionsFor('event')).toEqual({
      requireMembership: false,
      notifyWebhooks: true,
      webhooksNeedCompanyAudience: false,
    });
  });

  it('mention each person once, and never the sender', () => {
    expect(admittedMentions({ id: 'ana' }, ['raj', 'ana', 'sam', 'raj'])).toEqual(['raj', 'sam']);
  });
});
