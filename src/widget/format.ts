// How people, conversations and times read in the widget: titles, initials, previews and relative times.
// Pure functions of their inputs (the clock is passed in), shared by every component.
import type { Conversation } from '../protocol/models.ts';
import type { Strings } from './strings.ts';

/** The other members of a direct or group conversation (everyone but `meId`). */
export function otherMembers(conversation: Conversation, meId: string) {
  return (conversation.members ?? []).filter((member) => member.id !== meId);
}

/** `#name` for channels, the other person for DMs, the name or the members for groups. */
export function conversationTitle(conversation: Conversation, meId: string, strings: Strings): string {
  if (conversation.kind === 'channel') return `#${conversation.name ?? ''}`;
  if (conversation.name) return conversation.name;
  if (conversation.kind === 'record' && conversation.record) return conversation.record.title;
  const others = otherMembers(conversation, meId).map((member) => member.displayName);
  if (conversation.kind === 'direct') return others[0] ?? strings.you;
  if (others.length > 0) return others.map(firstName).join(', ');
  return conversation.kind === 'record' ? strings.record : strings.group;
}

export const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/** Up to two initials: "Ana Lima" → "AL", "#oracare-team" → "O". */
export function initials(name: string): string {
  const words = name
    .replace(/^[#@]/, '')
    .trim()
    .split(/[\s-]+/)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0], words.at(-1)] : [words[0]];
  return letters
    .map((word) => [...(word ?? '')][0] ?? '')
    .join('')
    .toUpperCase();
}

/** A stable hue per id, so a person keeps their avatar colour everywhere. */
export function hueOf(id: string): number {
  let hue = 7;
  for (const char of id) hue = (hue * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return hue;
}

/** One line of the last message for the conversation list: markup characters stay, whitespace folds. */
export function previewOf(
  conversation: Conversation,
  meId: string,
  nameOf: (userId: string) => string,
  strings: Strings,
): string {
  const message = conversation.lastMessage;
  if (!message) return strings.noMessagesYet;
  const text = message.body.replace(/\s+/g, ' ').trim();
  if (message.senderId === meId) return `${strings.youPrefix}${text}`;
  return conversation.kind === 'direct' ? text : `${firstName(nameOf(message.senderId))}: ${text}`;
}

/** The thread that shows a conversation: a record thread for its notes, the conversation itself otherwise. */
export const threadOf = (conversation: Conversation): string =>
  conversation.kind === 'notes' && conversation.parentId ? conversation.parentId : conversation.id;

/**
 * The list's view of conversations: a record thread's notes are not listed apart but count in the
 * thread's row (unread, mentions, latest message), which opens both. Most recently active first.
 */
export function withNotesFolded(conversations: readonly Conversation[]): Conversation[] {
  const notesByParent = new Map(
    conversations.filter((c) => c.kind === 'notes' && c.parentId).map((c) => [c.parentId, c]),
  );
  return conversations
    .filter((c) => c.kind !== 'notes')
    .map((c) => {
      const notes = notesByParent.get(c.id);
      if (!notes) return c;
      const noteIsLatest =
        notes.lastMessage !== null &&
        (c.lastMessage === null || notes.lastMessage.createdAt > c.lastMessage.createdAt);
      return {
        ...c,
        unreadCount: c.unreadCount + notes.unreadCount,
        mentionCount: c.mentionCount + notes.mentionCount,
        lastMessage: noteIsLatest ? notes.lastMessage : c.lastMessage,
      };
    })
    .sort((a, b) => activityOf(b).localeCompare(activityOf(a)));
}

/** When the conversation last moved: its last message, or its creation. */
export const activityOf = (conversation: Conversation) =>
  conversation.lastMessage?.createdAt ?? conversation.updatedAt;

const DAY_MS = 86_400_000;
const startOfDay = (time: number) => new Date(time).setHours(0, 0, 0, 0);
const daysBetween = (earlier: number, later: number) =>
  Math.round((startOfDay(later) - startOfDay(earlier)) / DAY_MS);

export type TimeFormat = ReturnType<typeof timeFormat>;

/** Time formatting in one locale; every function takes the current time so that tests can fix it. */
export function timeFormat(locale: string | undefined, strings: Strings) {
  const clock = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' });
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short' });
  const shortDate = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' });
  const longDate = new Intl.DateTimeFormat(locale, { weekday: 'long', month: 'long', day: 'numeric' });
  const exact = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });

  return {
    /** For a message: "just now", "5 min. ago", then the clock time (the day shows in a separator). */
    messageTime(iso: string, now: number): string {
      const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
      if (minutes < 1) return strings.justNow;
      if (minutes < 60) return relative.format(-minutes, 'minute');
      return clock.format(new Date(iso));
    },
    /** For the conversation list: clock time today, then "Yesterday", a weekday, a date. */
    listTime(iso: string, now: number): string {
      const time = Date.parse(iso);
      const days = daysBetween(time, now);
      if (days <= 0) return clock.format(time);
      if (days === 1) return strings.yesterday;
      if (days < 7) return weekday.format(time);
      return shortDate.format(time);
    },
    /** For "last seen": relative minutes, hours, then days. */
    ago(iso: string, now: number): string {
      const minutes = Math.max(1, Math.floor((now - Date.parse(iso)) / 60_000));
      if (minutes < 60) return relative.format(-minutes, 'minute');
      if (minutes < 1440) return relative.format(-Math.floor(minutes / 60), 'hour');
      return relative.format(-Math.floor(minutes / 1440), 'day');
    },
    /** A day separator: "Today", "Yesterday", "Monday, November 24". */
    dayLabel(iso: string, now: number): string {
      const days = daysBetween(Date.parse(iso), now);
      if (days === 0) return strings.today;
      if (days === 1) return strings.yesterday;
      return longDate.format(Date.parse(iso));
    },
    /** The full date and time, for `title` tooltips. */
    exact: (iso: string) => exact.format(Date.parse(iso)),
    /** The clock time alone: "9:03 AM". */
    clock: (iso: string) => clock.format(Date.parse(iso)),
  };
}

/** The key of the local calendar day a time falls on. */
export const dayKey = (iso: string) => new Date(iso).toDateString();
