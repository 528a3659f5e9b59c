// Web push as a rung of the ladder: one notification per conversation, tagged with it, so that a later
// push replaces the one shown (silently) instead of piling up; a click opens the conversation.
import type { StepContent } from '../../store/notification-content.ts';
import { conversationTitle } from './digest-email.ts';
import type { NotificationChannel } from './ladder.ts';
import type { PushSender } from './push.ts';

const BODY_CHARACTERS = 180;

function bodyOf(content: StepContent): string {
  const latest = content.messages.at(-1);
  const text = latest ? `${latest.body}${latest.hasAttachments ? ' [attachment]' : ''}`.trim() : '';
  const clipped = text.length > BODY_CHARACTERS ? `${text.slice(0, BODY_CHARACTERS - 1)}…` : text;
  return content.total > 1 ? `${clipped} (+${content.total - 1} more)` : clipped;
}

export function createPushChannel(
  sender: PushSender,
  openLink: (content: StepContent) => string,
): NotificationChannel {
  return {
    reachable: (content) => sender.hasDevices(content.user.id),
    async send(content) {
      const conversation = content.conversation;
      const latest = content.messages.at(-1);
      if (!conversation || !latest) return;
      const title = conversationTitle(conversation);
      const result = await sender.send(content.user.id, {
        tag: `conversation:${conversation.id}`,
        title: conversation.kind === 'direct' ? latest.senderName : `${latest.senderName} in ${title}`,
        body: bodyOf(content),
        url: openLink(content),
        conversationId: conversation.id,
      });
      // Every device refused it (none is gone: those are dropped and count as neither): try again later.
      if (result.delivered === 0 && result.failed > 0) {
        throw new Error(`no device took the push (${result.failed} failed)`);
      }
    },
  };
}
