// Record threads: the one conversation about one host record (type + id), created on first open even when
// several people open it at once. Who may see it is the host's decision: a record declared server-to-server
// or a short-lived grant the host signs, naming the organisations allowed.
import { z } from 'zod';
import { ParleyError } from '../../../protocol/errors.ts';
import { httpUrlSchema } from '../../../protocol/http-url.ts';
import type { Conversation, Message, User } from '../../../protocol/models.ts';
import type { OpenRecordResponse } from '../../../protocol/rest.ts';
import type { FanOut } from '../../fanout/fanout.ts';
import { findConversationSummary } from '../../store/conversation-summaries.ts';
import { findConversationFacts } from '../../store/conversations.ts';
import type { Database } from '../../store/db.ts';
import {
  ensureNotesConversation,
  findRecord,
  findRecordByConversation,
  insertRecord,
  listNotesConversationIds,
  lockRecord,
  type RecordDeclaration,
  type RecordRow,
  updateRecord,
} from '../../store/records.ts';
import { ensureOrganization, writeProfile } from '../../store/users.ts';
import type { Directory } from '../access/directory.ts';
import { conversationNotFound } from '../access/errors.ts';
import type { Membership } from '../access/membership.ts';
import { inChannelScope } from '../access/policy.ts';
import { announceConversationUpdate } from '../conversations/conversation-update.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Messages } from '../messages/messages.ts';
import type { ApiKeyPrincipal } from './api-keys.ts';

/**
 * A record grant: the host signs it for a user's page, naming the record and who may see it, and when it
 * was signed (`iat`); with `sub`, only that user may use it (docs/records.md).
 */
export const recordGrantSchema = z.object({
  typ: z.literal('parley-record-grant'),
  record: z.object({ type: z.string().min(1).max(50), id: z.string().min(1).max(200) }),
  orgs: z.array(z.string().min(1).max(100)).min(1).max(50),
  title: z.string().trim().min(1).max(200).optional(),
  url: httpUrlSchema.optional(),
  sub: z.string().min(1).max(200).optional(),
  iat: z.number(),
  exp: z.number(),
});
export type RecordGrant = z.infer<typeof recordGrantSchema>;

/** Bot users post host events; they live in an organisation of their own that no policy names. */
export const SYSTEM_ORG = { id: 'parley-system', name: 'Parley system', kind: 'internal' as const };

export interface RecordsDeps {
  db: Database;
  fanOut: FanOut;
  directory: Directory;
  membership: Membership;
  messages: Messages;
  events: DomainEvents;
  verifyGrant: (token: string) => Promise<RecordGrant>;
  newId: () => string;
  /** Unix milliseconds: when a server-to-server declaration is made. */
  now?: () => number;
}

/** A grant older than the statement that last set the record's audience: it cannot change it. */
function staleGrant(): ParleyError {
  return new ParleyError(
    'forbidden',
    "the grant is older than the record's latest declaration by the host; the host must sign a new one",
  );
}

export function createRecords({
  db,
  fanOut,
  directory,
  membership,
  messages,
  events,
  verifyGrant,
  newId,
  now = Date.now,
}: RecordsDeps) {
  /**
   * Creates or updates the record; a narrower audience removes the people it leaves out at once. A grant
   * older than the statement that last set the audience changes nothing: null. The host's back-end
   * (`authoritative`) always has the last word.
   */
  async function declare(
    declaration: RecordDeclaration,
    createdBy: string,
    authoritative = false,
  ): Promise<RecordRow | null> {
    const outcome = await db.transaction(async (tx) => {
      await lockRecord(tx, declaration.type, declaration.id);
      const current = await findRecord(tx, declaration.type, declaration.id);
      if (current && !authoritative && declaration.issuedAt < current.scopeIssuedAt) return 'stale';
      if (current) await updateRecord(tx, declaration);
      else await insertRecord(tx, declaration, newId(), createdBy);
      return current ? 'updated' : 'created';
    });
    if (outcome === 'stale') return null;
    const record = (await findRecord(db, declaration.type, declaration.id)) as RecordRow;
    if (outcome === 'updated') await followRecordEverywhere(record);
    return record;
  }

  /** The thread and all its notes follow what the host changed. */
  async function followRecordEverywhere(record: RecordRow): Promise<void> {
    const notes = await listNotesConversationIds(db, record.conversationId);
    for (const conversationId of [record.conversationId, ...notes]) await followRecord(conversationId);
  }

  /** Re-checks the thread's (or its notes') members and tells those who remain what the host changed. */
  async function followRecord(conversationId: string): Promise<void> {
    const facts = await findConversationFacts(db, conversationId);
    if (!facts) return;
    await membership.enforce(facts);
    await announceConversationUpdate({ db, fanOut }, conversationId);
  }

  /**
   * The notes of the user's organisation on the thread, joined on open. Only the company's own staff keep
   * notes: the webhooks and exports that carry them belong to the company (docs/decisions/006).
   */
  async function joinNotes(user: User, recordConversationId: string): Promise<Conversation | null> {
    if (user.orgKind !== 'internal') return null;
    const notesId = await ensureNotesConversation(db, {
      id: newId(),
      recordConversationId,
      orgId: user.orgId,
      createdBy: user.id,
    });
    await membership.add(notesId, [user.id]);
    return findConversationSummary(db, notesId, user.id);
  }

  async function botFor(principal: ApiKeyPrincipal): Promise<User> {
    const bot: User = {
      id: `apikey:${principal.id}`,
      displayName: principal.name,
      email: null,
      orgId: SYSTEM_ORG.id,
      orgKind: SYSTEM_ORG.kind,
      role: 'member',
    };
    await ensureOrganization(db, SYSTEM_ORG);
    await writeProfile(db, bot, { source: 'system' });
    return bot;
  }

  // New activity reopened a closed record thread (in the append): its members hear of it.
  events.subscribe(async (event) => {
    if (event.type !== 'record.reopened') return;
    const record = await findRecordByConversation(db, event.conversationId);
    if (record) await followRecordEverywhere(record);
  });

  return {
    /**
     * Server-to-server: the host declares (or updates) a record and who may see it. It always applies: grants
     * signed before it can no longer change the audience.
     */
    async declare(
      principal: ApiKeyPrincipal,
      declaration: Omit<RecordDeclaration, 'issuedAt'>,
    ): Promise<RecordRow> {
      const issuedAt = Math.floor(now() / 1000);
      const bot = await botFor(principal);
      return (await declare({ ...declaration, issuedAt }, bot.id, true)) as RecordRow;
    },

    get: (type: string, id: string) => findRecord(db, type, id),

    /**
     * A user opens the record's thread: with a grant the host signed, or for a record the host declared.
     * The user joins it if their organisation is admitted; otherwise it does not exist for them.
     */
    async open(
      sessionUser: User,
      type: string,
      id: string,
      grantToken?: string,
    ): Promise<OpenRecordResponse> {
      const user = await directory.current(sessionUser);
      let record = await findRecord(db, type, id);
      let stale = false;
      if (grantToken) {
        const grant = await verifyGrant(grantToken);
        if (grant.record.type !== type || grant.record.id !== id) {
          throw new ParleyError('forbidden', 'the grant is for another record');
        }
        if (grant.sub !== undefined && grant.sub !== user.id) {
          throw new ParleyError('forbidden', 'the grant is for another user');
        }
        const declared = await declare(
          {
            type,
            id,
            title: grant.title ?? record?.title ?? `${type} ${id}`,
            url: grant.url ?? record?.url ?? null,
            context: record?.context ?? {},
            orgIds: grant.orgs,
            issuedAt: grant.iat,
          },
          user.id,
        );
        // A stale grant admits only whom the record admits anyway; it never widens it again.
        stale = declared === null;
        record = declared ?? record;
      }
      if (
        !record ||
        !inChannelScope(user, { orgIds: record.orgIds, minRole: 'viewer', visibility: 'private' })
      ) {
        throw stale ? staleGrant() : conversationNotFound();
      }
      await membership.add(record.conversationId, [user.id]);
      const notes = await joinNotes(user, record.conversationId);
      const conversation = (await findConversationSummary(
        db,
        record.conversationId,
        user.id,
      )) as Conversation;
      return { conversation, notes };
    },

    /** Server-to-server: an event about the record, posted into its thread and shown apart from people. */
    async postEvent(
      principal: ApiKeyPrincipal,
      type: string,
      id: string,
      input: { body: string; clientMsgId: string },
    ): Promise<Message> {
      const record = await findRecord(db, type, id);
      if (!record) throw new ParleyError('not_found', `no record ${type} ${id}; declare it first`);
      return messages.send(await botFor(principal), {
        conversationId: record.conversationId,
        clientMsgId: input.clientMsgId,
        body: input.body,
        kind: 'event',
      });
    },
  };
}

export type Records = ReturnType<typeof createRecords>;
