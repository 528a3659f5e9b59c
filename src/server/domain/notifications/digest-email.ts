// The email digest of one conversation for one user: what is new there, as HTML and plain text, with a link
// that opens the conversation in the host's dashboard, one-click unsubscribe, and the headers that make a
// mail client thread every digest of a conversation together.
import { createHash } from 'node:crypto';
import type { NotifiedConversation, NotifiedMessage, StepContent } from '../../store/notification-content.ts';

export interface DigestLinks {
  open: string;
  /** Stops this conversation's emails (mutes it). */
  unsubscribeConversation: string;
  /** Stops all email. */
  unsubscribeAll: string;
  /** Where a reply lands in the conversation as the user (reply by email), when this Parley takes replies. */
  replyTo: string | null;
}

export interface DigestEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per user and conversation: every digest of it refers to it, so clients thread them. */
  threadId: string;
  headers: Record<string, string>;
}

/** The conversation's name as the user's own client shows it. */
export function conversationTitle(conversation: NotifiedConversation): string {
  if (conversation.kind === 'direct') return conversation.otherMemberNames[0] ?? 'Direct message';
  if (conversation.kind === 'group') return conversation.name ?? conversation.otherMemberNames.join(', ');
  if (conversation.kind === 'channel') return `#${conversation.name ?? 'channel'}`;
  const record = conversation.record?.title ?? conversation.name ?? 'Record';
  return conversation.kind === 'notes' ? `Internal notes: ${record}` : record;
}

function subjectOf(content: StepContent, title: string): string {
  const { messages, total, conversation } = content;
  const senders = [...new Set(messages.map((message) => message.senderName))];
  const count = total === 1 ? 'a new message' : `${total} new messages`;
  if (conversation?.kind === 'direct') return `${title} sent you ${count}`;
  if (senders.length === 1)
    return `${senders[0]} wrote ${count === 'a new message' ? 'to you' : count} in ${title}`;
  return `${count[0]?.toUpperCase()}${count.slice(1)} in ${title}`;
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => escapes[char] ?? char);

/** A message's time in the reader's time zone (the one their quiet hours name), else in UTC. */
function when(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(date);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

function bodyText(message: NotifiedMessage): string {
  return message.hasAttachments ? `${message.body}${message.body ? '\n' : ''}[attachment]` : message.body;
}

const zoneOf = (content: StepContent) => content.user.quietHours?.timeZone ?? 'UTC';

function textPart(content: StepContent, heading: string, links: DigestLinks): string {
  const more = content.total - content.messages.length;
  return [
    heading,
    '',
    ...content.messages.flatMap((message) => [
      `${message.senderName} (${message.senderOrg}), ${when(message.createdAt, zoneOf(content))}:`,
      ...bodyText(message)
        .split('\n')
        .map((line) => `  ${line}`),
      '',
    ]),
    ...(more > 0 ? [`…and ${more} more.`, ''] : []),
    `Open the conversation: ${links.open}`,
    '',
    '--',
    `You get this email because these messages are unread.${links.replyTo ? ' Reply to it to answer in the conversation.' : ''}`,
    `Stop emails about this conversation: ${links.unsubscribeConversation}`,
    `Stop all Parley emails: ${links.unsubscribeAll}`,
  ].join('\n');
}

function htmlPart(content: StepContent, heading: string, links: DigestLinks): string {
  const more = content.total - content.messages.length;
  const rows = content.messages
    .map(
      (message) => `<tr><td style="padding:8px 0;border-bottom:1px solid #e5e7eb">
<div style="font-size:13px;color:#6b7280"><strong style="color:#111827">${escapeHtml(message.senderName)}</strong>
· ${escapeHtml(message.senderOrg)} · ${escapeHtml(when(message.createdAt, zoneOf(content)))}</div>
<div style="font-size:15px;color:#111827;white-space:pre-wrap;word-break:break-word">${escapeHtml(bodyText(message))}</div>
</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark">
<title>${escapeHtml(heading)}</title></head>
<body style="margin:0;padding:24px;background:#f3f4f6;font-family:system-ui,-apple-system,'Segoe UI',sans-serif">
<main><table role="presentation" width="100%" style="max-width:600px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<tr><td><h1 style="font-size:18px;margin:0 0 12px;color:#111827">${escapeHtml(heading)}</h1></td></tr>
${rows}
${more > 0 ? `<tr><td style="padding:8px 0;color:#6b7280">…and ${more} more.</td></tr>` : ''}
<tr><td style="padding:20px 0 8px"><a href="${escapeHtml(links.open)}" style="display:inline-block;background:#2563eb;color:#ffffff;text-decoration:none;padding:10px 16px;border-radius:6px;font-weight:600">Open the conversation</a></td></tr>
<tr><td style="padding-top:16px;font-size:12px;color:#6b7280">You get this email because these messages are unread.${links.replyTo ? ' Reply to it to answer in the conversation.' : ''}<br>
<a href="${escapeHtml(links.unsubscribeConversation)}" style="color:#6b7280">Stop emails about this conversation</a> ·
<a href="${escapeHtml(links.unsubscribeAll)}" style="color:#6b7280">Stop all Parley emails</a></td></tr>
</table></main></body></html>`;
}

/** The digest; `domain` names the sending host in the thread's id. Null when there is nothing to tell. */
export function composeDigest(content: StepContent, links: DigestLinks, domain: string): DigestEmail | null {
  const { user, conversation } = content;
  if (!conversation || !user.email || content.messages.length === 0) return null;
  const title = conversationTitle(conversation);
  // Names are the host's to choose: nothing in them may break the header they go into.
  const subject = subjectOf(content, title).replace(/[\r\n\t]+/g, ' ');
  const hash = createHash('sha256').update(`${user.id}\u0000${conversation.id}`).digest('hex').slice(0, 24);
  return {
    to: user.email,
    subject,
    text: textPart(content, subject, links),
    html: htmlPart(content, subject, links),
    threadId: `<conversation-${hash}@${domain}>`,
    headers: {
      'List-Unsubscribe': `<${links.unsubscribeConversation}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `Parley notifications <${hash}.notifications.${domain}>`,
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
    },
  };
}
