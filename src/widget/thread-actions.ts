// What a thread lets its messages and its composer do to each other: edit one message in place, reply to
// one from the composer, ask before deleting, and bring a message (a reply's original) into view.
import { createContext } from 'preact';
import { useContext, useState } from 'preact/hooks';
import type { Message } from '../protocol/models.ts';
import type { Row, ThreadMessage } from './rows.ts';
import { useWidget } from './state.ts';

export interface ThreadActions {
  /** No message changes in an archived conversation. */
  archived: boolean;
  /** The row edited in place (its key), if any. */
  editing: string | null;
  setEditing(key: string | null): void;
  /** The message the composer's next message answers. */
  replyingTo: ThreadMessage | null;
  setReplyingTo(message: ThreadMessage | null): void;
  /** Adds the user's reaction, or takes it back; the emoji goes first among their recent ones. */
  toggleReaction(message: Message, emoji: string): void;
  /** Opens the confirmation before deleting a message for everyone. */
  askDelete(message: Message): void;
  /** Brings a message of this thread into view, loading history back to it first. */
  jumpTo(conversationId: string, seq: number): void;
  /** Tells the user an action on a message failed, in the server's words; the message stays as it was. */
  failed(error: unknown): void;
  /** Edits the user's last message in the conversation (↑ in an empty composer); false when there is none. */
  editLast(conversationId: string): boolean;
}

export const ThreadActionsContext = createContext<ThreadActions | null>(null);

export function useThreadActions(): ThreadActions {
  const actions = useContext(ThreadActionsContext);
  if (!actions) throw new Error('Messages and the composer need the ThreadActions context');
  return actions;
}

/**
 * The actions of the thread `threadId` showing `rows`, and the message waiting for the user to confirm its
 * deletion (`confirmDelete` deletes it, `cancelDelete` keeps it).
 */
export function useThreadActionsOf(
  threadId: string,
  rows: readonly Row[],
  archived: boolean,
): { actions: ThreadActions; deleting: Message | null; confirmDelete(): void; cancelDelete(): void } {
  const { session, strings, toast, go } = useWidget();
  const [editing, setEditing] = useState<string | null>(null);
  const [replyingTo, setReplyingTo] = useState<ThreadMessage | null>(null);
  const [deleting, setDeleting] = useState<Message | null>(null);
  const failed = (error: unknown) =>
    toast.set(strings.actionFailed(error instanceof Error ? error.message : String(error)));
  const actions: ThreadActions = {
    archived,
    editing,
    setEditing,
    replyingTo,
    setReplyingTo,
    askDelete: setDeleting,
    failed,
    toggleReaction: (message, emoji) => {
      session.recentEmoji.use(emoji);
      session.client.messageActions.toggleReaction(message, emoji, session.userId).catch(failed);
    },
    jumpTo: (conversationId, seq) =>
      go({ view: 'thread', conversationId: threadId, focus: { conversationId, seq } }),
    editLast: (conversationId) => {
      const last = rows.findLast(
        (row) =>
          row.kind === 'message' &&
          row.mine &&
          row.message.sent?.conversationId === conversationId &&
          row.message.sent.deletedAt === null,
      );
      if (!last || archived) return false;
      setEditing(last.key);
      return true;
    },
  };
  return {
    actions,
    deleting,
    confirmDelete: () => {
      if (deleting) session.client.messageActions.delete(deleting.id).catch(failed);
      setDeleting(null);
    },
    cancelDelete: () => setDeleting(null),
  };
}
