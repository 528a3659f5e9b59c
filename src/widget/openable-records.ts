// Which host records the user can open, so that only references to them become links ("step #3" stays
// text): the record threads in the user's list and the records their token names (its `records` claim).
// A hint for the display only: the server decides on every open.
import { readToken } from '../client/index.ts';
import type { Conversation } from '../protocol/models.ts';

const keyOf = (type: string, id: string) => `${type}\n${id}`;

export class OpenableRecords {
  private claimed: ReadonlyMap<string, ReadonlySet<string>> = new Map();
  private listed = new Set<string>();

  has(type: string, id: string): boolean {
    return this.listed.has(keyOf(type, id)) || (this.claimed.get(type)?.has(id) ?? false);
  }

  /** Takes the claim of each new token (a refreshed one may name more records); true when it changed. */
  learnToken(token: string): boolean {
    const claimed = readToken(token)?.records ?? new Map<string, ReadonlySet<string>>();
    const same =
      claimed.size === this.claimed.size &&
      [...claimed].every(([type, ids]) => sameSet(ids, this.claimed.get(type)));
    this.claimed = claimed;
    return !same;
  }

  /** Takes the record threads of the user's list; true when they changed. */
  learnConversations(conversations: readonly Conversation[]): boolean {
    const listed = new Set(
      conversations.flatMap((c) =>
        c.kind === 'record' && c.record ? [keyOf(c.record.type, c.record.id)] : [],
      ),
    );
    const same = sameSet(listed, this.listed);
    this.listed = listed;
    return !same;
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): boolean {
  return b !== undefined && a.size === b.size && [...a].every((item) => b.has(item));
}
