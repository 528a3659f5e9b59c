// Who can read a conversation, as the people @-mentions may name: a DM's or group's members, a channel's
// members (asked of the server, a channel lists none), and for a record thread the people of the
// organisations it is visible to (its notes: the user's own organisation only); and whether the user may
// mention them all at once (`@channel`, `@here`).
import { useEffect, useState } from 'preact/hooks';
import { mayMentionEveryone } from '../protocol/channel-rights.ts';
import type { Conversation, User } from '../protocol/models.ts';
import { useWidget } from './state.ts';

export interface Reader {
  id: string;
  displayName: string;
}

/** The readers of a record thread or notes among the people the user knows. */
export function readersAmong(
  conversation: Pick<Conversation, 'kind' | 'audience'>,
  people: readonly Pick<User, 'id' | 'displayName' | 'orgId'>[],
  myOrgId: string | undefined,
): Reader[] {
  const orgIds = new Set(
    conversation.kind === 'notes' ? [myOrgId] : (conversation.audience ?? []).map((org) => org.id),
  );
  return people.filter((person) => orgIds.has(person.orgId));
}

/** Whom the user may mention in a conversation: its readers, and all of them at once or not. */
export interface Mentionable {
  readers: readonly Reader[];
  /** `@channel` and `@here`: as a channel's members answer says, elsewhere as the protocol's rule says. */
  everyone: boolean;
}

/** The conversation's readers, once known (empty until then, or when they cannot be loaded). */
export function useMentionable(conversation: Conversation): Mentionable {
  const { session } = useWidget();
  const [loaded, setLoaded] = useState<Mentionable>({ readers: [], everyone: false });
  const { id, kind } = conversation;
  useEffect(() => {
    if (conversation.members) return;
    let current = true;
    const load: Promise<Mentionable> =
      kind === 'channel'
        ? session.client.rest
            .channelMembers(id)
            .then((answer) => ({ readers: answer.members, everyone: answer.mayMentionEveryone }))
        : session.people().then((people) => ({
            readers: readersAmong(conversation, people, session.client.me?.orgId),
            everyone: mayMentionEveryoneIn(conversation, session.client.me),
          }));
    load.then(
      (mentionable) => current && setLoaded(mentionable),
      (error: unknown) => console.warn('Parley: cannot load who reads the conversation', error),
    );
    return () => {
      current = false;
    };
  }, [session, id, kind]);
  return conversation.members
    ? { readers: conversation.members, everyone: mayMentionEveryoneIn(conversation, session.client.me) }
    : loaded;
}

/** Outside channels the rule needs no more than the conversation's kind and the user's role. */
function mayMentionEveryoneIn(conversation: Conversation, me: User | undefined): boolean {
  const rules = { kind: conversation.kind, createdBy: null, broadcastMentions: 'members' } as const;
  return me !== undefined && mayMentionEveryone(me, rules);
}
