// The emoji the reaction picker offers: the frequent ones the main bundle holds, then a small hand-picked set
// with English names and search words, kept as one string so that it costs about 1 KB (a full emoji database
// would be 50× that). Pure.
import { type Emoji, frequentEmoji, parseEmoji } from '../emoji.ts';

const MORE =
  '😀 grin|🙂 slight smile|😉 wink|🥰 in love|😍 heart eyes|🤩 star struck|😜 joking/tongue|🤗 hug|' +
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

let all: Emoji[] | undefined;

/** The whole set: the frequent reactions first, then the rest; parsed on first use. */
export function allEmoji(): Emoji[] {
  all ??= [...frequentEmoji(), ...parseEmoji(MORE)];
  return all;
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
