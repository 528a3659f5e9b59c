// What a notification says and when it may say it: the digest's subject and escaping, and quiet hours in
// the user's time zone, across midnight.
import { describe, expect, it } from 'vitest';
import { composeDigest } from '../../src/server/domain/notifications/digest-email.ts';
import { msUntilQuietHoursEnd } from '../../src/server/domain/notifications/quiet-hours.ts';
import type { StepContent } from '../../src/server/store/notification-content.ts';

const links = {
  open: 'https://dash.example.com/chat?c=1',
  unsubscribeConversation: 'https://chat.example.com/unsubscribe?token=a',
  unsubscribeAll: 'https://chat.example.com/unsubscribe?token=b',
  replyTo: null,
};

function content(kind: 'direct' | 'channel', senders: string[]): StepContent {
  return {
    user: {
      id: 'u',
      displayName: 'Bob',
      email: 'bob@example.com',
      orgKind: 'vendor',
      level: 'all',
      emailEnabled: true,
      pushEnabled: true,
      quietHours: { startMinute: 0, endMinute: 1, timeZone: 'Europe/Berlin' },
      active: false,
    },
    conversation: {
      id: 'c',
      kind,
      name: 'dock',
      lastReadSeq: 0,
      lastSeq: senders.length,
      muted: false,
      record: null,
      otherMemberNames: ['Alice\r\nBcc: everyone@example.com'],
    },
    messages: senders.map((sender, index) => ({
      seq: index + 1,
      messageSeq: index + 1,
      body: `<img src=x onerror=alert(${index})>`,
      createdAt: new Date('2026-12-04T11:30:00Z'),
      senderName: sender,
      senderOrg: 'Axiom',
      hasAttachments: index === 0,
    })),
    total: senders.length,
  };
}

describe('the email digest', () => {
  it('says who wrote how much where, on one header line whatever the names hold', () => {
    const direct = composeDigest(content('direct', ['Alice']), links, 'chat.example.com');
    expect(direct?.subject).toBe('Alice Bcc: everyone@example.com sent you a new message');
    const channel = composeDigest(content('channel', ['Ana', 'Ana']), links, 'chat.example.com');
    expect(channel?.subject).toBe('Ana wrote 2 new messages in #dock');
    const mixed = composeDigest(content('channel', ['Ana', 'Olivia']), links, 'chat.example.com');
    expect(mixed?.subject).toBe('2 new messages in #dock');
  });

  it('escapes every message in HTML, marks attachments and tells the time in the reader’s zone', () => {
    const digest = composeDigest(content('channel', ['Ana']), links, 'chat.example.com');
    expect(digest?.html).toContain('&lt;img src=x onerror=alert(0)&gt;');
    expect(digest?.html).not.toContain('<img');
    expect(digest?.text).toContain('[attachment]');
    expect(digest?.text).toContain('2026-12-04 12:30 CET');
    expect(digest?.headers['List-Unsubscribe']).toBe(`<${links.unsubscribeConversation}>`);
  });

  it('is not written when there is nothing to tell or nowhere to send it', () => {
    expect(composeDigest({ ...content('direct', []) }, links, 'x')).toBeNull();
    const noAddress = content('direct', ['Alice']);
    noAddress.user.email = null;
    expect(composeDigest(noAddress, links, 'x')).toBeNull();
  });
});

describe('quiet hours', () => {
  const night = { startMinute: 22 * 60, endMinute: 7 * 60, timeZone: 'Europe/Berlin' };

  it('hold what comes inside them until they end, across midnight, in the user’s time zone', () => {
    // 23:30 in Berlin (UTC+1 in December): 7 h 30 min to go.
    expect(msUntilQuietHoursEnd(night, new Date('2026-12-04T22:30:00Z'))).toBe(7.5 * 3600_000);
    // 06:59:30 in Berlin: 30 s to go.
    expect(msUntilQuietHoursEnd(night, new Date('2026-12-04T05:59:30Z'))).toBe(30_000);
  });

  it('hold nothing outside them', () => {
    expect(msUntilQuietHoursEnd(night, new Date('2026-12-04T12:00:00Z'))).toBe(0);
    const lunch = { startMinute: 12 * 60, endMinute: 13 * 60, timeZone: 'UTC' };
    expect(msUntilQuietHoursEnd(lunch, new Date('2026-12-04T12:15:00Z'))).toBe(45 * 60_000);
    expect(msUntilQuietHoursEnd(lunch, new Date('2026-12-04T13:00:00Z'))).toBe(0);
  });
});
