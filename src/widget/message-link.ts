// A link to one message: the page the chat is on with `?conversation=<thread>&message=<seq>` (the full-page
// chat keeps its place in the same `conversation` parameter), plus `&notes=<id>` for an internal note,
// whose seq counts in its notes. Opening such a link opens the thread at that message. Pure.

const CONVERSATION = 'conversation';
const MESSAGE = 'message';
const NOTES = 'notes';

export interface LinkedMessage {
  /** The thread to open (a record thread for one of its notes). */
  threadId: string;
  /** The conversation the message is in: the thread, or its notes. */
  conversationId: string;
  seq: number;
}

export function messageLink(pageUrl: string, { threadId, conversationId, seq }: LinkedMessage): string {
  const url = new URL(pageUrl);
  url.searchParams.set(CONVERSATION, threadId);
  url.searchParams.set(MESSAGE, String(seq));
  if (conversationId === threadId) url.searchParams.delete(NOTES);
  else url.searchParams.set(NOTES, conversationId);
  return url.toString();
}

/** The message a page's URL links to, if it names one. */
export function linkedMessage(pageUrl: string): LinkedMessage | null {
  const params = new URL(pageUrl).searchParams;
  const threadId = params.get(CONVERSATION);
  const seq = Number(params.get(MESSAGE));
  if (!threadId || !Number.isInteger(seq) || seq < 1) return null;
  return { threadId, conversationId: params.get(NOTES) || threadId, seq };
}
