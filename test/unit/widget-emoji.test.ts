import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/client/storage.ts';
import { emojiName, frequentEmoji, learnEmojiNames } from '../../src/widget/emoji.ts';
import { allEmoji, searchEmoji } from '../../src/widget/extras/emoji.ts';
import { RecentEmoji, recentEmojiKey } from '../../src/widget/recent-emoji.ts';

describe('the reaction picker’s emoji', () => {
  it('holds each emoji once, each with a name, the frequent reactions first', () => {
    const chars = allEmoji().map((emoji) => emoji.char);
    expect(new Set(chars).size).toBe(chars.length);
    expect(chars.length).toBeGreaterThan(100);
    expect(allEmoji().every((emoji) => emoji.name.length > 0 && !emoji.name.includes('|'))).toBe(true);
    expect(chars.slice(0, 3)).toEqual(['👍', '❤️', '😂']);
    expect(allEmoji().slice(0, frequentEmoji().length)).toEqual(frequentEmoji());
    expect(searchEmoji('', 24)).toEqual(frequentEmoji());
  });

  it('finds emoji by the start of their name or a search word, names first, all typed words matching', () => {
    expect(searchEmoji('rock')[0]?.char).toBe('🚀');
    expect(searchEmoji('thank').map((emoji) => emoji.char)).toContain('🙏');
    expect(searchEmoji('folded').map((emoji) => emoji.char)).toEqual(['🙏']);
    expect(searchEmoji('ship').map((emoji) => emoji.char)).toEqual(['🚀', '📦', '🚚']);
    expect(searchEmoji('THUMBS down').map((emoji) => emoji.char)).toEqual(['👎']);
    expect(searchEmoji('ahead')).toEqual([]);
  });

  it('names the frequent emoji, the picker’s once it has loaded, and leaves others (from other clients) as they are', () => {
    expect(emojiName('👍')).toBe('thumbs up');
    expect(emojiName('🌱')).toBe('🌱');
    learnEmojiNames(allEmoji());
    expect(emojiName('🌱')).toBe('seedling');
    expect(emojiName('🦩')).toBe('🦩');
  });

  it('keeps the user’s recent emoji newest first, without repeats, per user', () => {
    const storage = memoryStorage();
    const ana = new RecentEmoji(storage, recentEmojiKey('ana'));
    for (const emoji of ['👍', '🎉', '👍', '🚀']) ana.use(emoji);
    expect(ana.list()).toEqual(['🚀', '👍', '🎉']);
    expect(new RecentEmoji(storage, recentEmojiKey('raj')).list()).toEqual([]);
    storage.set(recentEmojiKey('ana'), '{not json');
    expect(ana.list()).toEqual([]);
  });
});
