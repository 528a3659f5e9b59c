// The links a notification carries: one that opens the conversation where the user works (the host's
// dashboard, by the template the host configured, or Parley's own full-page chat) and the unsubscribe links.
import type { StepContent } from '../../store/notification-content.ts';
import type { DigestLinks } from './digest-email.ts';
import { signUnsubscribe } from './unsubscribe-tokens.ts';

export interface LinkOptions {
  linkTemplate: string | undefined;
  recordLinkTemplate: string | undefined;
  signingKey: Buffer;
  /** Where Parley is reached: PARLEY_PUBLIC_URL, else where this process listens. */
  baseUrl: () => string;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(conversationId|recordType|recordId)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? ''),
  );
}

export function createNotificationLinks(options: LinkOptions) {
  const base = () => options.baseUrl().replace(/\/$/, '');

  function open(conversationId: string, record: { type: string; id: string } | null): string {
    const template = record ? options.recordLinkTemplate : options.linkTemplate;
    if (!template) return `${base()}/?conversation=${encodeURIComponent(conversationId)}`;
    return fill(template, { conversationId, recordType: record?.type ?? '', recordId: record?.id ?? '' });
  }

  function unsubscribe(userId: string, conversationId: string | null): string {
    return `${base()}/unsubscribe?token=${signUnsubscribe(options.signingKey, { userId, conversationId })}`;
  }

  return {
    open,
    unsubscribe,
    /** A digest's links. */
    digest(content: StepContent): DigestLinks {
      const conversation = content.conversation;
      const conversationId = conversation?.id ?? '';
      return {
        open: open(conversationId, conversation?.record ?? null),
        unsubscribeConversation: unsubscribe(content.user.id, conversationId),
        unsubscribeAll: unsubscribe(content.user.id, null),
      };
    },
  };
}

export type NotificationLinks = ReturnType<typeof createNotificationLinks>;
