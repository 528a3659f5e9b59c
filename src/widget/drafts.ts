// What the user typed but has not sent, per conversation: kept in the browser's storage under the user's id,
// so a draft survives switching conversations and reloading, and is never shown to another user of the
// same browser. Sending (an empty draft) removes it.
import type { KeyValueStorage } from '../client/index.ts';

/** Drafts kept per user; beyond this the oldest go, so storage stays small however many threads are touched. */
const MAX_DRAFTS = 50;

export const draftsKey = (userId: string) => `parley:drafts:${userId}`;

export class Drafts {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
  ) {}

  get(conversationId: string): string {
    return this.read().get(conversationId) ?? '';
  }

  set(conversationId: string, text: string): void {
    // Read afresh each time: another tab of the same user may have saved a draft elsewhere meanwhile.
    const drafts = this.read();
    drafts.delete(conversationId);
    if (text !== '') drafts.set(conversationId, text);
    // Pairs, oldest first: an object would put integer-like ids first, whatever their age.
    this.storage.set(this.key, JSON.stringify([...drafts].slice(-MAX_DRAFTS)));
  }

  /** Drops every draft of this user (on logout). */
  forget(): void {
    this.storage.set(this.key, '[]');
  }

  private read(): Map<string, string> {
    const stored = this.storage.get(this.key);
    if (!stored) return new Map();
    try {
      const value: unknown = JSON.parse(stored);
      return new Map(Array.isArray(value) ? (value as [string, string][]) : []);
    } catch (error) {
      // Storage edited by hand: the drafts are lost, the chat still works.
      console.warn('Parley: stored drafts are not readable and were dropped.', error);
      return new Map();
    }
  }
}
