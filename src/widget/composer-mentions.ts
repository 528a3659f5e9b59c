// The mentions of the message being written: the list `@` opens (the conversation's readers, and `@channel`
// and `@here` for those who may mention everyone), steered from the text box, and what a send carries —
// the people chosen and still named, and the wider mention of everyone chosen and still there.
import { useRef, useState } from 'preact/hooks';
import type { Broadcast } from '../client/index.ts';
import type { Conversation } from '../protocol/models.ts';
import {
  broadcastCandidates,
  broadcastOf,
  insertMention,
  type MentionOption,
  type MentionQuery,
  mentionAt,
  mentionCandidates,
  mentionedIds,
} from './mentions.ts';
import { useMentionable } from './readers.ts';
import { useWidget } from './state.ts';

export interface ComposerMentions {
  /** What the list offers now; empty when it is closed. */
  options: MentionOption[];
  active: number;
  /** Looks for an `@…` being typed at the caret. */
  lookFor(text: string, caret: number): void;
  choose(option: MentionOption): void;
  close(): void;
  /** Up, down, Enter or Tab and Escape drive the list while it shows; answers whether the key was used. */
  steer(key: string): boolean;
  /** What a send of `body` carries; the choices start over for the next message. */
  take(body: string): { mentions: string[]; broadcast: Broadcast | undefined };
}

/** `insert` puts the text with a chosen mention in the box, the caret after it. */
export function useComposerMentions(
  target: Conversation,
  text: string,
  insert: (next: { text: string; caret: number }) => void,
): ComposerMentions {
  const { session } = useWidget();
  const [query, setQuery] = useState<MentionQuery | undefined>(undefined);
  const [active, setActive] = useState(0);
  /** Members chosen from the list while writing this message: id → name. */
  const chosen = useRef(new Map<string, string>());
  const chosenBroadcasts = useRef(new Set<Broadcast>());
  const mentionable = useMentionable(target);
  const options: MentionOption[] = query
    ? [
        ...mentionCandidates(mentionable.readers, query.text, session.userId).map((person) => ({ person })),
        ...(mentionable.everyone ? broadcastCandidates(query.text).map((broadcast) => ({ broadcast })) : []),
      ]
    : [];

  const choose = (option: MentionOption) => {
    if (!query) return;
    const named = 'person' in option ? option.person.displayName : option.broadcast;
    if ('person' in option) chosen.current.set(option.person.id, named);
    else chosenBroadcasts.current.add(option.broadcast);
    insert(insertMention(text, query, named));
    setQuery(undefined);
  };

  return {
    options,
    active,
    lookFor: (value, caret) => {
      setQuery(mentionAt(value, caret));
      setActive(0);
    },
    choose,
    close: () => setQuery(undefined),
    steer: (key) => {
      if (options.length === 0) return false;
      if (key === 'ArrowDown' || key === 'ArrowUp') {
        const step = key === 'ArrowDown' ? 1 : -1;
        setActive((active + step + options.length) % options.length);
      } else if (key === 'Enter' || key === 'Tab') {
        const option = options[active];
        if (option) choose(option);
      } else if (key === 'Escape') {
        setQuery(undefined);
      } else {
        return false;
      }
      return true;
    },
    take: (body) => {
      const taken = {
        mentions: mentionedIds(body, chosen.current),
        broadcast: broadcastOf(body, chosenBroadcasts.current),
      };
      chosen.current.clear();
      chosenBroadcasts.current.clear();
      setQuery(undefined);
      return taken;
    },
  };
}
