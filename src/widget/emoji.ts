// The emoji the reaction picker offers: a small hand-picked set with English names and search words, kept as
// one string so that it costs the widget's budget about 1 KB (a full emoji database would be 50× that). The
// first ones are the frequent reactions the picker shows before anything is searched. Pure.

export interface Emoji {
  char: string;
  name: string;
  /** The name and search words, lowercase, space-separated. */
  words: string;
}

/** How many of the set's first emoji the picker shows as frequent. */
export const FREQUENT_COUNT = 24;

// Each entry: the emoji, a space, its name, optionally `/` and more search words; entries split by `|`.
const TABLE =
  '👍 thumbs up/yes ok|❤️ heart/love|😂 tears of joy/lol laugh|🎉 party/celebrate congrats|' +
  '🙏 folded hands/thanks please|👀 eyes/look|✅ done/check yes|🔥 fire|😮 wow/surprised|😢 sad/cry|👏 clap/bravo|' +
  '🙌 hooray|😄 smile/happy|😊 blush/happy|🤔 thinking|👌 ok hand|💯 hundred/perfect|🚀 rocket/ship launch|' +
  '👎 thumbs down/no|❌ cross/no wrong|⚠️ warning|⏳ hourglass/waiting|💪 strong|😅 phew/sweat|😀 grin|' +
  '🙂 slight smile|😉 wink|🥰 in love|😍 heart eyes|🤩 star struck|😜 joking/tongue|🤗 hug|' +
  '🤨 raised eyebrow/doubt|😐 neutral/meh|😏 smirk|🙄 eye roll|😬 grimace/awkward|😔 pensive/sad|' +
  '😴 sleeping/tired|🤯 mind blown|🥳 partying/birthday|😎 cool/sunglasses|😕 confused|😟 worried|' +
  '🥺 pleading/please|😭 sobbing/cry|😱 scream/shock|😡 angry|💀 skull/dead|👻 ghost|🤖 robot|🙈 oops/monkey|' +
  '👋 wave/hello bye|✋ raised hand/stop|✌️ peace/victory|🤞 fingers crossed/luck|👆 point up|👇 point down|' +
  '👊 fist bump|🤝 handshake/deal|✍️ writing/note|🧠 brain/smart|💔 broken heart|✨ sparkles/new|⭐ star|' +
  '⚡ lightning/fast|💥 boom|💬 speech/comment|📣 megaphone/announce|🔔 bell/notify|🎯 target/goal|' +
  '🏆 trophy/win|🎁 gift|🎂 cake/birthday|🍕 pizza|☕ coffee/break|🥂 cheers|🍪 cookie|❄️ snowflake/cold|' +
  '🌈 rainbow|🌱 seedling/grow|🌸 blossom/flower|🍀 clover/luck|🐶 dog|🐛 bug|🙋 raised hand/me question|' +
  '🤷 shrug|🤦 facepalm|🙇 bow/sorry|🏃 running/hurry|📦 package/box shipping|🚚 truck/delivery shipping|' +
  '✈️ airplane/travel|🏭 factory|📅 calendar/date|⏰ alarm/deadline|📈 chart up/growth|📉 chart down/drop|' +
  '📊 bar chart/report|📝 memo/note|📌 pin|📎 paperclip/attach|🔗 link|📞 phone/call|💻 laptop|🔍 search|' +
  '🔒 locked/private|🔑 key|🛠️ tools/fix|⚙️ gear/settings|🧪 test|💰 money|💡 idea/bulb|🚧 construction/wip|' +
  '🚨 siren/urgent|🛑 stop|🚫 prohibited/no|❗ exclamation/important|❓ question|➕ plus/add|🔴 red circle|' +
  '🟢 green circle/go|🔄 repeat/sync|🏁 finish/done';

let parsed: Emoji[] | undefined;

/** The whole set, in the table's order (frequent first); parsed on first use. */
export function allEmoji(): Emoji[] {
  parsed ??= TABLE.split('|').map((entry) => {
    const space = entry.indexOf(' ');
    const [name = '', more = ''] = entry.slice(space + 1).split('/');
    return { char: entry.slice(0, space), name, words: `${name} ${more}`.toLowerCase() };
  });
  return parsed;
}

/** The emoji whose name or search words start with each typed word (in any order), names matched first. */
export function searchEmoji(query: string, max = 48): Emoji[] {
  const needles = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (needles.length === 0) return allEmoji().slice(0, max);
  const matches = (text: string) => {
    const words = text.split(' ');
    return needles.every((needle) => words.some((word) => word.startsWith(needle)));
  };
  const found = allEmoji().filter((emoji) => matches(emoji.words));
  const byName = found.filter((emoji) => matches(emoji.name.toLowerCase()));
  return [...new Set([...byName, ...found])].slice(0, max);
}

/** The name of an emoji of the set, for labels; an emoji from elsewhere (another client) is its own name. */
export function emojiName(char: string): string {
  return allEmoji().find((emoji) => emoji.char === char)?.name ?? char;
}
