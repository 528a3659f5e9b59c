// The append executes what the domain instructs, reading at the commit only what can change under a send:
// membership (when required), the mentioned people's membership, the audience organisation's kind.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertConversation } from '../../src/server/store/conversations.ts';
import type { Database } from '../../src/server/store/db.ts';
import { addMembers } from '../../src/server/store/members.ts';
import {
  type AppendInstructions,
  appendMessage,
  appendMessages,
  type NewMessage,
} from '../../src/server/store/message-append.ts';
import { migrate } from '../../src/server/store/migrate.ts';
import { openPglite } from '../../src/server/store/pglite.ts';

const person: AppendInstructions = {
  requireMembership: true,
  notifyWebhooks: true,
  webhooksNeedCompanyAudience: true,
};

describe('the append, as instructed', () => {
  let db: Database;
  let groupId: string;
  let clientNotesId: string;
  let recordId: string;

  const message = (
    conversationId: string,
    senderId: string,
    extra: Partial<NewMessage> = {},
  ): NewMessage => ({
    conversationId,
    senderId,
    clientMsgId: randomUUID(),
    body: 'hello',
    mentions: [],
    kind: 'message',
    instructions: person,
    ...extra,
  });
  const deliveriesOf = async (messageId: string) =>
    (await db.query('select 1 from webhook_deliveries where message_id = $1', [Number(messageId)])).length;

  beforeAll(async () => {
    db = await openPglite('memory://');
    await migrate(db);
    await db.query(
      `insert into organizations (id, name, kind) values ('axiom', 'Axiom', 'internal'), ('acme', 'Acme', 'client')`,
    );
    await db.query(
      `insert into users (id, display_name, org_id, role) values
         ('ana', 'Ana', 'axiom', 'member'), ('raj', 'Raj', 'axiom', 'member'),
         ('sam', 'Sam', 'axiom', 'member'), ('cleo', 'Cleo', 'acme', 'member')`,
    );
    await db.query(
      `insert into webhooks (id, url, secret, events, created_by)
       values ('hook', 'https://hooks.example.test/', 'secret', '{message.created}', 'ana')`,
    );
    groupId = randomUUID();
    await insertConversation(db, {
      id: groupId,
      kind: 'group',
      name: null,
      directKey: null,
      policy: null,
      createdBy: 'ana',
    });
    await addMembers(db, groupId, ['ana', 'raj']);
    recordId = randomUUID();
    await db.query(
      `insert into conversations (id, kind, name, created_by, scope_org_ids, min_role, visibility)
       values ($1, 'record', 'Order 1', 'ana', '{axiom,acme}', 'viewer', 'private')`,
      [recordId],
    );
    clientNotesId = randomUUID();
    await db.query(
      `insert into conversations (id, kind, name, created_by, parent_id, audience_org_id, scope_org_ids, min_role,
         visibility)
       values ($1, 'notes', 'Order 1', 'cleo', $2, 'acme', '{acme}', 'viewer', 'private')`,
      [clientNotesId, recordId],
    );
    await addMembers(db, clientNotesId, ['cleo']);
    await db.query(
      `insert into records (type, id, conversation_id, title, status) values ('order', '1', $1, 'Order 1', 'closed')`,
      [recordId],
    );
  });
  afterAll(() => db.close());

  it("refuses a non-member's message when membership is required, and stores it when it is not", async () => {
    expect((await appendMessage(db, message(groupId, 'sam'))).kind).toBe('refused');
    const unrequired = { ...person, requireMembership: false };
    expect((await appendMessage(db, message(groupId, 'sam', { instructions: unrequired }))).kind).toBe(
      'appended',
    );
  });

  it('keeps only the mentioned people who are members at the commit', async () => {
    const appended = await appendMessage(db, message(groupId, 'ana', { mentions: ['sam', 'raj'] }));
    expect(appended.kind === 'appended' && appended.message.mentions).toEqual(['raj']);
  });

  it("tells webhooks of another organisation's notes only when told the audience does not matter", async () => {
    const guarded = await appendMessage(db, message(clientNotesId, 'cleo'));
    if (guarded.kind !== 'appended') throw new Error(guarded.kind);
    expect(await deliveriesOf(guarded.message.id)).toBe(0);
    const unguarded = { ...person, webhooksNeedCompanyAudience: false };
    const told = await appendMessage(db, message(clientNotesId, 'cleo', { instructions: unguarded }));
    if (told.kind !== 'appended') throw new Error(told.kind);
    expect(await deliveriesOf(told.message.id)).toBe(1);
  });

  it('enqueues no delivery when told not to notify webhooks', async () => {
    const quiet = { ...person, notifyWebhooks: false };
    const appended = await appendMessage(db, message(groupId, 'ana', { instructions: quiet }));
    if (appended.kind !== 'appended') throw new Error(appended.kind);
    expect(await deliveriesOf(appended.message.id)).toBe(0);
  });

  it('reopens a closed record for activity in its own thread, never in its notes', async () => {
    const inNotes = await appendMessages(db, [message(clientNotesId, 'cleo')]);
    expect(inNotes.reopenedConversationIds).toEqual([]);
    const event = { requireMembership: false, notifyWebhooks: true, webhooksNeedCompanyAudience: false };
    const inThread = await appendMessages(db, [
      message(recordId, 'ana', { kind: 'event', instructions: event }),
    ]);
    expect(inThread.reopenedConversationIds).toEqual([recordId]);
  });
});
