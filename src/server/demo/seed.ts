// The demo: three organisations that share one order-fulfilment dashboard, with channels, DMs and a little
// history so that the first screen is alive. Written through the domain, like any real traffic.
import { setTimeout } from 'node:timers/promises';
import { ParleyError } from '../../protocol/errors.ts';
import type { ChannelPolicy, OrganizationKind, User } from '../../protocol/models.ts';
import type { Conversations } from '../domain/conversations/conversations.ts';
import type { Messages } from '../domain/messages/messages.ts';
import type { ApiKeys } from '../domain/records/api-keys.ts';
import type { Database } from '../store/db.ts';
import { countUsers, ensureOrganization, findUsers, writeProfile } from '../store/users.ts';

export const demoOrganizations: { id: string; name: string; kind: OrganizationKind }[] = [
  { id: 'axiom', name: 'Axiom Fulfillment', kind: 'internal' },
  { id: 'oracare', name: 'Oracare', kind: 'client' },
  { id: 'northwind', name: 'Northwind Manufacturing', kind: 'vendor' },
];

const person = (id: string, displayName: string, orgId: string, role: User['role']): User => ({
  id,
  displayName,
  email: `${id}@${orgId}.example`,
  orgId,
  orgKind: demoOrganizations.find((org) => org.id === orgId)?.kind ?? 'client',
  role,
});

export const demoUsers: User[] = [
  person('ana', 'Ana Lima', 'axiom', 'admin'),
  person('raj', 'Raj Patel', 'axiom', 'member'),
  person('sam', 'Sam Okafor', 'axiom', 'member'),
  person('olivia', 'Olivia Chen', 'oracare', 'member'),
  person('omar', 'Omar Haddad', 'oracare', 'viewer'),
  person('nina', 'Nina Kowalski', 'northwind', 'member'),
  person('noah', 'Noah Berg', 'northwind', 'member'),
];

type Script = [senderId: string, body: string][];

const channelScripts: { name: string; memberIds: string[]; policy: ChannelPolicy; script: Script }[] = [
  {
    name: 'oracare-team',
    memberIds: ['ana', 'raj', 'sam', 'olivia', 'omar'],
    policy: { orgIds: ['axiom', 'oracare'], minRole: 'viewer', visibility: 'public' },
    script: [
      ['olivia', 'Hi team! Can you confirm order #1234 ships today? The customer is asking.'],
      [
        'raj',
        'Morning Olivia. #1234 is packed; the UPS pickup is at 3pm. I will post the tracking number here.',
      ],
      ['omar', 'Thanks! Are we still on track for the 500-unit restock of SKU-AB-12 next week?'],
      ['ana', 'Yes, Northwind confirmed the lot. We will share the ETA by Friday.'],
    ],
  },
  {
    name: 'manufacturer',
    memberIds: ['ana', 'raj', 'sam', 'nina', 'noah'],
    policy: { orgIds: ['axiom', 'northwind'], minRole: 'viewer', visibility: 'public' },
    script: [
      ['nina', 'Lot L-2291 for SKU-AB-12 passed QC. 500 units ready to ship Thursday.'],
      ['raj', 'Great, please send the packing list when the pallet leaves.'],
      ['noah', 'Heads-up: bottle caps are delayed about two days on the next run (PO-7781).'],
    ],
  },
  {
    name: 'internal',
    memberIds: ['ana'],
    policy: { orgIds: ['axiom'], minRole: 'admin', visibility: 'private' },
    script: [['ana', 'Carrier rate review is on Monday. Add notes on UPS vs FedEx costs here.']],
  },
];

const directScripts: { between: [string, string]; script: Script }[] = [
  {
    between: ['ana', 'olivia'],
    script: [
      ['olivia', 'Ana, do you have five minutes to talk about the December volumes?'],
      ['ana', 'Sure, a call at 2pm?'],
    ],
  },
  {
    between: ['raj', 'nina'],
    script: [['raj', 'Nina, can you share the certificate of analysis for lot L-2291?']],
  },
];

export interface SeedDeps {
  db: Database;
  conversations: Conversations;
  messages: Messages;
}

export interface SeedOptions {
  /** Seeds beside users who are not the demo's (an operator's explicit choice); never twice, though. */
  besideOtherUsers?: boolean;
}

/**
 * Seeds the demo into an empty database; returns false (and writes nothing) when users already exist, or
 * with `besideOtherUsers`, when the demo's users do.
 */
export async function seedDemo(
  { db, conversations, messages }: SeedDeps,
  { besideOtherUsers = false }: SeedOptions = {},
): Promise<boolean> {
  const inTheWay = besideOtherUsers ? await countDemoUsers(db) : await countUsers(db);
  if (inTheWay > 0) return false;
  for (const org of demoOrganizations) await ensureOrganization(db, org);
  for (const user of demoUsers) await writeProfile(db, user, { source: 'demo' });
  const userById = new Map(demoUsers.map((user) => [user.id, user]));
  const actor = (id: string) => userById.get(id) as User;
  let n = 0;
  const play = async (conversationId: string, script: Script) => {
    for (const [senderId, body] of script) {
      n += 1;
      await sendWhenNotBusy(messages, actor(senderId), {
        conversationId,
        clientMsgId: `demo-seed-${n}`,
        body,
      });
    }
  };
  for (const channel of channelScripts) {
    const { conversation } = await conversations.start(actor('ana'), {
      kind: 'channel',
      name: channel.name,
      memberIds: channel.memberIds,
      policy: channel.policy,
    });
    await play(conversation.id, channel.script);
  }
  for (const direct of directScripts) {
    const [a, b] = direct.between;
    const { conversation } = await conversations.start(actor(a), { kind: 'direct', memberIds: [b] });
    await play(conversation.id, direct.script);
  }
  return true;
}

/** How many of the demo's users this database holds, as seeded. */
export async function countDemoUsers(db: Database): Promise<number> {
  return (
    await findUsers(
      db,
      demoUsers.map((user) => user.id),
      ['demo'],
    )
  ).length;
}

/** The demo admin, who creates the demo order system's key. */
const DEMO_ADMIN_ID = 'ana';
/** The demo order system's key: found by this name (and its creator) to be revoked at the next start. */
const DEMO_HOST_KEY_NAME = 'Axiom order system';

/**
 * The API key the demo's order system calls Parley with, created by the demo admin like any host's key. Its
 * secret lives only in this process, so each start creates one and revokes those of earlier starts (the demo
 * runs as one node). Null when the database holds no seeded demo admin (demo mode on a database seeded by
 * something else): the demo never creates an admin there.
 */
export async function issueDemoHostKey(db: Database, apiKeys: ApiKeys): Promise<string | null> {
  const [admin] = await findUsers(db, [DEMO_ADMIN_ID], ['demo']);
  if (!admin) return null;
  for (const key of await apiKeys.list(admin)) {
    if (key.name === DEMO_HOST_KEY_NAME && key.createdBy === admin.id && key.revokedAt === null) {
      await apiKeys.revoke(admin, key.id);
    }
  }
  return (await apiKeys.create(admin, DEMO_HOST_KEY_NAME, ['records:write', 'records:post'])).key;
}

/**
 * Sends as a client would: a node busy at start-up (a loaded machine) sheds sends with `unavailable`, and
 * the seed waits as told and sends the same message again rather than leave the demo half written.
 */
async function sendWhenNotBusy(
  messages: Messages,
  sender: User,
  request: Parameters<Messages['send']>[1],
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await messages.send(sender, request);
      return;
    } catch (error) {
      if (!(error instanceof ParleyError) || error.code !== 'unavailable' || attempt >= 100) throw error;
      await setTimeout(error.details.retryAfterMs ?? 100);
    }
  }
}
