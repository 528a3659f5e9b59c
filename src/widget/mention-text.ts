// Finding the mentions in a message's text: the `@Name` of each person the message mentions, split out of
// the text around it so that it can be marked (and the user's own highlighted). Pure.

export interface Mentioned {
  name: string;
  /** The user reading: their mentions stand out. */
  me: boolean;
}

export type TextPart = string | { mention: Mentioned };

/** The text cut at each `@Name` of the mentioned people; the longest name wins where names overlap. */
export function splitMentions(text: string, mentioned: readonly Mentioned[]): TextPart[] {
  if (mentioned.length === 0 || !text.includes('@')) return [text];
  const byLength = [...mentioned].sort((a, b) => b.name.length - a.name.length);
  const parts: TextPart[] = [];
  let plain = '';
  for (let i = 0; i < text.length; i += 1) {
    const found = text[i] === '@' ? byLength.find((m) => text.startsWith(m.name, i + 1)) : undefined;
    if (!found) {
      plain += text[i];
      continue;
    }
    if (plain) parts.push(plain);
    plain = '';
    parts.push({ mention: found });
    i += found.name.length;
  }
  if (plain) parts.push(plain);
  return parts;
}
