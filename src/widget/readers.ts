// Who can read a conversation, as the people @-mentions may name: a DM's or group's members, a channel's
// members (asked of the server, a channel lists none), and for a record thread the people of the
// organisations it is visible to (its notes: the user's own organisation only).
import { useEffect, useState } from 'preact/hooks';
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

/** The conversation's readers, once known (empty until then, or when they cannot be loaded). */
export function useReaders(conversation: Conversation): readonly Reader[] {
  const { session } = useWidget();
  const [loaded, setLoaded] = useState<readonly Reader[]>([]);
  const { id, kind } = conversation;
  useEffect(() => {
    if (conversation.members) return;
    let current = true;
    const load =
      kind === 'channel'
        ? session.client.rest.channelMembers(id).then((answer) => answer.members)
        : session.people().then((people) => readersAmong(conversation, people, session.client.me?.orgId));
    load.then(
      (readers) => current && setLoaded(readers),
      (error: unknown) => console.warn('Parley: cannot load who reads the conversation', error),
    );
    return () => {
      current = false;
    };
  }, [session, id, kind]);
  return conversation.members ?? loaded;
}
