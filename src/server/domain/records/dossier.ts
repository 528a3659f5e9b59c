// The record dossier: one record's thread with the internal notes its audience may read, assembled for
// export. Access is membership, as everywhere; a host back-end names the organisation whose view it wants.
import type { Dossier, DossierEntry, DossierOrganization } from '../../../protocol/dossier.ts';
import { ParleyError } from '../../../protocol/errors.ts';
import type { RecordInfo, User } from '../../../protocol/models.ts';
import type { Database } from '../../store/db.ts';
import {
  listDossierMessages,
  listRecordNotes,
  organizationOf,
  type RecordNotes,
} from '../../store/dossier.ts';
import { isMember } from '../../store/members.ts';
import { findRecord, type RecordRow } from '../../store/records.ts';
import type { Directory } from '../access/directory.ts';
import { conversationNotFound } from '../access/errors.ts';
import type { ApiKeyPrincipal } from './api-keys.ts';

/** Messages read per query: a thread of any length is exported without one unbounded read. */
const BATCH_SIZE = 1000;

/** Whose view an export is: a user's (what they are a member of) or an organisation's. */
export type DossierAudience =
  | { kind: 'user'; userId: string; orgId: string }
  | { kind: 'organization'; orgId: string };

/** The notes an audience may read: a user's by membership, an organisation's by being its audience. */
export function notesVisibleTo(audience: DossierAudience, notes: readonly RecordNotes[]): RecordNotes[] {
  return notes.filter((note) =>
    audience.kind === 'user' ? note.readerIsMember : note.audience.id === audience.orgId,
  );
}

/**
 * Merges timelines that are each in seq order into one by time. Each keeps its own order even where a
 * commit's clock ran behind an earlier seq; on equal times the earlier timeline (the thread) comes first.
 */
export function mergeByTime(timelines: readonly DossierEntry[][]): DossierEntry[] {
  const positions = timelines.map(() => 0);
  const total = timelines.reduce((sum, timeline) => sum + timeline.length, 0);
  const merged: DossierEntry[] = [];
  while (merged.length < total) {
    let pick = 0;
    let earliest: DossierEntry | undefined;
    for (let i = 0; i < timelines.length; i++) {
      const head = timelines[i]?.[positions[i] ?? 0];
      if (head && (!earliest || head.createdAt < earliest.createdAt)) {
        earliest = head;
        pick = i;
      }
    }
    merged.push(earliest as DossierEntry);
    positions[pick] = (positions[pick] ?? 0) + 1;
  }
  return merged;
}

const recordInfo = ({ type, id, title, url, context, status }: RecordRow): RecordInfo => ({
  type,
  id,
  title,
  url,
  context,
  status,
});

export interface DossiersDeps {
  db: Database;
  directory: Directory;
  now: () => Date;
}

export function createDossiers({ db, directory, now }: DossiersDeps) {
  async function readConversation(
    conversationId: string,
    internalNote: DossierOrganization | null,
  ): Promise<DossierEntry[]> {
    const entries: DossierEntry[] = [];
    for (let after = 0; ; ) {
      const batch = await listDossierMessages(db, conversationId, after, BATCH_SIZE);
      for (const message of batch) entries.push({ ...message, internalNote });
      const last = batch.at(-1);
      if (!last || batch.length < BATCH_SIZE) return entries;
      after = last.seq;
    }
  }

  async function assemble(
    record: RecordRow,
    audience: DossierAudience,
    exportedBy: Dossier['exportedBy'],
  ): Promise<Dossier> {
    const exportedAt = now().toISOString();
    const readerId = audience.kind === 'user' ? audience.userId : null;
    const notes = notesVisibleTo(audience, await listRecordNotes(db, record.conversationId, readerId));
    const timelines = [await readConversation(record.conversationId, null)];
    for (const note of notes) timelines.push(await readConversation(note.conversationId, note.audience));
    const entries = mergeByTime(timelines);
    return {
      record: recordInfo(record),
      exportedAt,
      exportedBy,
      audience: await organizationOf(db, audience.orgId),
      entries,
      attachments: entries.flatMap((entry) =>
        entry.attachments.map((file) => ({ ...file, messageId: entry.id })),
      ),
    };
  }

  return {
    /** What the user sees of the record: its thread if they are a member, and the notes they are in. */
    async forUser(sessionUser: User, type: string, id: string): Promise<Dossier> {
      const user = await directory.current(sessionUser);
      const record = await findRecord(db, type, id);
      if (!record || !(await isMember(db, record.conversationId, user.id))) throw conversationNotFound();
      return assemble(
        record,
        { kind: 'user', userId: user.id, orgId: user.orgId },
        { kind: 'user', id: user.id, name: user.displayName },
      );
    },

    /** What the organisation sees, for a host back-end: the thread if it is admitted, and its own notes. */
    async forOrganization(
      principal: ApiKeyPrincipal,
      type: string,
      id: string,
      orgId: string,
    ): Promise<Dossier> {
      const record = await findRecord(db, type, id);
      if (!record?.orgIds.includes(orgId)) {
        throw new ParleyError('not_found', `no record ${type} ${id} that ${orgId} may see`);
      }
      return assemble(
        record,
        { kind: 'organization', orgId },
        { kind: 'api_key', id: principal.id, name: principal.name },
      );
    },
  };
}

export type Dossiers = ReturnType<typeof createDossiers>;
