// The emoji the user reacted with lately, newest first: kept in the browser's storage under the user's id, as
// drafts are, so that the picker puts them first on every visit and never shows another user's.
import type { KeyValueStorage } from '../client/index.ts';

const MAX_RECENT = 8;

export const recentEmojiKey = (userId: string) => `parley:emoji:${userId}`;

export class RecentEmoji {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
  ) {}

  list(): string[] {
    try {
      const value: unknown = JSON.parse(this.storage.get(this.key) ?? '[]');
      return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
    } catch (error) {
      // Storage edited by hand: the list starts over, reactions still work.
      console.warn('Parley: the recent emoji are not readable and were dropped.', error);
      return [];
    }
  }

  use(emoji: string): void {
    const next = [emoji, ...this.list().filter((item) => item !== emoji)].slice(0, MAX_RECENT);
    this.storage.set(this.key, JSON.stringify(next));
  }

  /** Drops the list (on logout). */
  forget(): void {
    this.storage.set(this.key, '[]');
  }
}
