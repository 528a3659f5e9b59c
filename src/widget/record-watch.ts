// What the host page hears of its records through the chat (`Parley.on('record')`): each record thread the
// user is in, with the record as Parley has it now — title, link, context card, open or closed — and again
// whenever the host's back-end changes it, so that a page showing the record can follow without a reload.
import type { RecordInfo } from '../protocol/models.ts';
import type { WidgetSession } from './session.ts';

export interface RecordChange extends RecordInfo {
  /** The record's thread. */
  conversationId: string;
}

/** The records of the user's record threads (not of their notes, which are about the same records). */
export function recordsInChat(session: WidgetSession): RecordChange[] {
  return session
    .conversations()
    .flatMap((c) => (c.kind === 'record' && c.record ? [{ ...c.record, conversationId: c.id }] : []));
}

/** Calls `changed` for each record thread on first sight and whenever its record differs from the last call. */
export function watchRecords(session: WidgetSession, changed: (record: RecordChange) => void): () => void {
  const told = new Map<string, string>();
  const check = () => {
    for (const record of recordsInChat(session)) {
      // The list changes with every message; the record itself only when the host changes it.
      const state = JSON.stringify(record);
      if (told.get(record.conversationId) === state) continue;
      told.set(record.conversationId, state);
      changed(record);
    }
  };
  check();
  return session.on('conversations', check);
}
