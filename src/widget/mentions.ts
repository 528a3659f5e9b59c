// Mentions in the composer: the `@name` being typed at the caret, the readers of the conversation it may mean
// (and `@channel` or `@here`, for those who may mention everyone), and which chosen ones the text still
// names when it is sent (their ids, or the mention of everyone, go with the message). Pure.
import type { Broadcast } from '../client/index.ts';
import type { Reader } from './readers.ts';

/** The mentions of everyone, the wider first. */
export const BROADCASTS: readonly Broadcast[] = ['channel', 'here'];

/** What the list `@` opens offers: a reader, or everyone at once. */
export type MentionOption = { person: Reader } | { broadcast: Broadcast };

/** The `@…` being typed: where it starts (at the `@`) and ends (the caret), and what follows the `@`. */
export interface MentionQuery {
  start: number;
  end: number;
  text: string;
}

/** The mention the caret is in: an `@` at the start of a word, with no space typed after it yet. */
export function mentionAt(text: string, caret: number): MentionQuery | undefined {
  const match = /(?:^|\s)@([^\s@]*)$/.exec(text.slice(0, caret));
  if (!match) return undefined;
  const typed = match[1] ?? '';
  return { start: caret - typed.length - 1, end: caret, text: typed };
}

/** Readers whose name has a word starting with what was typed, the user left out; a few at most. */
export function mentionCandidates<R extends Reader>(
  members: readonly R[],
  typed: string,
  meId: string,
  max = 6,
): R[] {
  const needle = typed.toLocaleLowerCase();
  return members
    .filter((member) => member.id !== meId)
    .filter((member) =>
      member.displayName
        .toLocaleLowerCase()
        .split(/\s+/)
        .some((word) => word.startsWith(needle)),
    )
    .slice(0, max);
}

/** `@channel` and `@here` as far as typed (`@h` means `@here`). */
export function broadcastCandidates(typed: string): Broadcast[] {
  const needle = typed.toLowerCase();
  return BROADCASTS.filter((broadcast) => broadcast.startsWith(needle));
}

/** The text with the query replaced by `@Name `, and where the caret goes after it. */
export function insertMention(
  text: string,
  query: MentionQuery,
  name: string,
): { text: string; caret: number } {
  const mention = `@${name} `;
  return {
    text: text.slice(0, query.start) + mention + text.slice(query.end),
    caret: query.start + mention.length,
  };
}

/** The wider of the chosen mentions of everyone still in the text as a word of its own, if any. */
export function broadcastOf(text: string, chosen: ReadonlySet<Broadcast>): Broadcast | undefined {
  return BROADCASTS.find(
    (broadcast) => chosen.has(broadcast) && new RegExp(`(^|\\s)@${broadcast}(?![\\w-])`).test(text),
  );
}

/** The chosen members (id → name) whose `@Name` is still in the text: a deleted mention mentions nobody. */
export function mentionedIds(text: string, chosen: ReadonlyMap<string, string>): string[] {
  return [...chosen].filter(([, name]) => text.includes(`@${name}`)).map(([id]) => id);
}
