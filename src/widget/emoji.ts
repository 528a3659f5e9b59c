// The frequent reactions, which the message menu offers without the emoji picker, and the names of emoji
// for labels. The picker's whole searchable set is in the extras chunk (extras/emoji.ts, decision 014),
// which teaches its names here once it has loaded; until then an emoji outside this set is its own name
// (screen readers name it anyway). Pure apart from the names learned.

export interface Emoji {
  char: string;
  name: string;
  /** The name and search words, lowercase, space-separated. */
  words: string;
}

// Each entry: the emoji, a space, its name, optionally `/` and more search words; entries split by `|`.
const FREQUENT =
  '👍 thumbs up/yes ok|❤️ heart/love|😂 tears of joy/lol laugh|🎉 party/celebrate congrats|' +
  '🙏 folded hands/thanks please|👀 eyes/look|✅ done/check yes|🔥 fire|😮 wow/surprised|😢 sad/cry|👏 clap/bravo|' +
  '🙌 hooray|😄 smile/happy|😊 blush/happy|🤔 thinking|👌 ok hand|💯 hundred/perfect|🚀 rocket/ship launch|' +
  '👎 thumbs down/no|❌ cross/no wrong|⚠️ warning|⏳ hourglass/waiting|💪 strong|😅 phew/sweat';

/** Reads a table of the format above (this one, or the picker's). */
export function parseEmoji(table: string): Emoji[] {
  return table.split('|').map((entry) => {
    const space = entry.indexOf(' ');
    const [name = '', more = ''] = entry.slice(space + 1).split('/');
    return { char: entry.slice(0, space), name, words: `${name} ${more}`.toLowerCase() };
  });
}

let frequent: Emoji[] | undefined;
const names = new Map<string, string>();

/** The frequent reactions, most frequent first; parsed on first use. */
export function frequentEmoji(): Emoji[] {
  if (!frequent) {
    frequent = parseEmoji(FREQUENT);
    learnEmojiNames(frequent);
  }
  return frequent;
}

/** Adds names for labels (the picker's set, once loaded). */
export function learnEmojiNames(emoji: readonly Emoji[]): void {
  for (const { char, name } of emoji) names.set(char, name);
}

/** The name of a known emoji, for labels; any other (from the picker before it loaded, another client) is its own name. */
export function emojiName(char: string): string {
  frequentEmoji();
  return names.get(char) ?? char;
}
