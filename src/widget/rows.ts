// A thread as the rows the message list shows: day separators, messages grouped by sender, the host's
// record events set apart, a record thread's internal notes woven in by time, the user's unsent messages
// from the outbox, a "new messages" divider above the first unread one, and a read receipt under the user's
// last read message. Pure.
import type { OutgoingMessage } from '../client/index.ts';
import type { ErrorBody } from '../protocol/errors.ts';
import type { ConversationMember, Message, ReplyQuote } from '../protocol/models.ts';
import { quoteOf } from '../protocol/quotes.ts';
import { dayKey } from './format.ts';

/** Messages closer together than this from one sender share one header. */
export const GROUP_WINDOW_MS = 5 * 60_000;

export interface ThreadMessage {
  clientMsgId: string;
  /** `event`: posted by the host's back-end about its record, shown apart from people's words. */
  kind: 'message' | 'event';
  senderId: string;
  body: string;
  createdAt: string;
  status: 'sent' | 'pending' | 'failed';
  error?: ErrorBody | undefined;
  /** An internal note: only the user's own organisation sees it. */
  note: boolean;
  /** The message as the server holds it, to act on (edit, react…); null while it is unsent. */
  sent: Message | null;
  /** The message this one answers, as it is now. */
  replyTo: ReplyQuote | null;
}

export type Row =
  /** The top of the list: more can be loaded, or this is the beginning. */
  | { kind: 'top'; key: string; hasMore: boolean }
  | { kind: 'day'; key: string; at: string }
  /** `first` starts a sender's group (name, avatar); `last` ends it. */
  | { kind: 'message'; key: string; message: ThreadMessage; mine: boolean; first: boolean; last: boolean }
  | { kind: 'event'; key: string; message: ThreadMessage }
  | { kind: 'receipt'; key: string; readerIds: string[] }
  /** Above the first message that was unread when the thread opened. */
  | { kind: 'unread'; key: string };

/** What the user has of one conversation: its held messages and their unsent ones. */
export interface Lane {
  messages: readonly Message[];
  outbox: readonly OutgoingMessage[];
}

export interface ThreadInput extends Lane {
  meId: string;
  /** Direct and group conversations list their members, with how far each has read. */
  members: readonly ConversationMember[] | null;
  /** A record thread's notes, shown among its messages by time. */
  notes?: Lane | null;
  /** The user's read position when the thread opened: the divider goes above the first later message. */
  readUpTo?: number | undefined;
}

export function buildRows({ messages, outbox, meId, members, notes, readUpTo }: ThreadInput): Row[] {
  const lanes = [{ messages, outbox, note: false }, ...(notes ? [{ ...notes, note: true }] : [])];
  const sent = new Set<string>();
  // Each lane loads its history page by page: what is older than another lane's oldest loaded message
  // waits until that lane loads further back, or it would show out of order.
  const from = Math.max(...lanes.map((lane) => (hasEarlier(lane.messages) ? oldest(lane.messages) : 0)));
  const held = lanes.map((lane) =>
    lane.messages.flatMap((message): ThreadMessage[] => {
      if (message.senderId === meId) sent.add(message.clientMsgId);
      return Date.parse(message.createdAt) >= from
        ? [{ ...pick(message, lane.note), status: 'sent', sent: message, replyTo: message.replyTo }]
        : [];
    }),
  );
  // An acknowledged message can be in the timeline a moment before it leaves the outbox.
  const unsent = lanes.map((lane) =>
    lane.outbox
      .filter((item) => !sent.has(item.clientMsgId))
      .map(
        (item): ThreadMessage => ({
          ...pick({ ...item, kind: 'message', senderId: meId }, lane.note),
          ...statusOf(item),
          sent: null,
          replyTo: pendingQuote(lane.messages, item.replyToId),
        }),
      ),
  );
  const entries = [...held.reduce(mergeByTime), ...unsent.reduce(mergeByTime)];

  const hasMore = lanes.some((lane) => hasEarlier(lane.messages));
  const rows: Row[] = [{ kind: 'top', key: 'top', hasMore }];
  const receipt = readReceipt(messages, meId, members);
  const firstUnread =
    readUpTo === undefined
      ? undefined
      : entries.find((e) => !e.note && e.sent && e.sent.seq > readUpTo && e.senderId !== meId);
  entries.forEach((entry, index) => {
    const previous = entries[index - 1];
    const next = entries[index + 1];
    if (!previous || dayKey(previous.createdAt) !== dayKey(entry.createdAt)) {
      rows.push({ kind: 'day', key: `day:${dayKey(entry.createdAt)}`, at: entry.createdAt });
    }
    if (entry === firstUnread) rows.push({ kind: 'unread', key: 'unread' });
    rows.push(
      entry.kind === 'event'
        ? { kind: 'event', key: entry.clientMsgId, message: entry }
        : {
            kind: 'message',
            key: entry.clientMsgId,
            message: entry,
            mine: entry.senderId === meId,
            // The divider starts a new group: the first unread message shows who wrote it.
            first: !previous || !continues(previous, entry) || entry === firstUnread,
            last: !next || !continues(entry, next) || next === firstUnread,
          },
    );
    if (receipt && receipt.clientMsgId === entry.clientMsgId) {
      rows.push({ kind: 'receipt', key: 'receipt', readerIds: receipt.readerIds });
    }
  });
  return rows;
}

/** Merges two lists each in its own order (seq, or send order) by time, keeping each list's order. */
function mergeByTime(a: ThreadMessage[], b: ThreadMessage[]): ThreadMessage[] {
  if (b.length === 0) return a;
  const merged: ThreadMessage[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const left = a[i];
    const right = b[j];
    if (right === undefined || (left !== undefined && left.createdAt <= right.createdAt)) {
      merged.push(left as ThreadMessage);
      i += 1;
    } else {
      merged.push(right);
      j += 1;
    }
  }
  return merged;
}

const hasEarlier = (messages: readonly Message[]) => (messages[0]?.seq ?? 1) > 1;
const oldest = (messages: readonly Message[]) => Date.parse(messages[0]?.createdAt ?? '') || 0;

const pick = (
  message: Pick<Message, 'clientMsgId' | 'kind' | 'senderId' | 'body' | 'createdAt'>,
  note: boolean,
) => ({
  note,
  clientMsgId: message.clientMsgId,
  // A server from before record events sends no kind: everything it sends is a message.
  kind: message.kind === 'event' ? ('event' as const) : ('message' as const),
  senderId: message.senderId,
  body: message.body,
  createdAt: message.createdAt,
});

/** What a reply waiting in the outbox quotes, from the held original (nothing when it is not held). */
function pendingQuote(messages: readonly Message[], replyToId: string | undefined): ReplyQuote | null {
  const original = replyToId ? messages.find((message) => message.id === replyToId) : undefined;
  return original ? quoteOf(original) : null;
}

const statusOf = (item: OutgoingMessage) =>
  item.status === 'failed'
    ? { status: 'failed' as const, error: item.error }
    : { status: 'pending' as const };

/** Whether `next` belongs under `previous`'s header: two messages (not events) of one sender, close in time. */
function continues(previous: ThreadMessage, next: ThreadMessage): boolean {
  return (
    previous.kind === 'message' &&
    next.kind === 'message' &&
    previous.note === next.note &&
    previous.senderId === next.senderId &&
    dayKey(previous.createdAt) === dayKey(next.createdAt) &&
    Date.parse(next.createdAt) - Date.parse(previous.createdAt) < GROUP_WINDOW_MS
  );
}

/** Who has read the user's latest message, in conversations that list their members. */
function readReceipt(
  messages: readonly Message[],
  meId: string,
  members: readonly ConversationMember[] | null,
): { clientMsgId: string; readerIds: string[] } | null {
  if (!members) return null;
  const latest = messages.findLast((message) => message.senderId === meId && message.kind !== 'event');
  if (!latest) return null;
  const readerIds = members
    .filter((member) => member.id !== meId && member.lastReadSeq >= latest.seq)
    .map((member) => member.id);
  return readerIds.length > 0 ? { clientMsgId: latest.clientMsgId, readerIds } : null;
}
