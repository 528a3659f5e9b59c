// The ladder under chaos: 50 people in direct, group and channel conversations send 10,000 messages over
// sockets while they read at random, delete at random and drop off and come back. Then everyone but a few
// goes away, every armed step is made due, and every email is checked against the database: none may tell
// of a message its reader had read or its sender deleted, none may repeat a conversation within a window,
// and everyone who has something unread that notifies them, and is away, gets exactly one.
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { axiom, knownPerson, type Person } from '../helpers/access.ts';
import { type ClientSocket, connect } from '../helpers/clients.ts';
import { openDirectBoth, startConversation, uniqueName } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { sleep, useNotifyingServer } from '../helpers/notifying-server.ts';

const PEOPLE = 50;
const WINDOWS = [8_000, 2_000];
const BATCH = 100;
const STAY_ACTIVE = 8;
const LINK = 'https://dash.example.test/chat?c={conversationId}';

/** Reproducible randomness: a failure can be replayed. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

interface Room {
  id: string;
  kind: 'direct' | 'group' | 'channel';
  members: Person[];
}

describe.each(testDrivers())('the notification ladder under chaos on %s', (driver) => {
  const parley = useNotifyingServer(driver, {
    env: { PARLEY_LINK_TEMPLATE: LINK, PARLEY_NOTIFY_TICK_MS: '100' },
  });

  it('tells nobody of what they read or what was deleted, and each away reader once per window', async () => {
    const random = randomSource(20261204);
    const people: Person[] = [];
    for (let i = 0; i < PEOPLE; i += 1) {
      people.push(await knownPerson(parley.url, `chaos${i}`, { ...axiom, displayName: `Person ${i}` }));
    }
    const rooms: Room[] = [];
    const pairs = new Set<string>();
    while (rooms.length < 30) {
      const a = random.int(PEOPLE);
      const b = random.int(PEOPLE);
      const key = [Math.min(a, b), Math.max(a, b)].join('-');
      if (a === b || pairs.has(key)) continue;
      pairs.add(key);
      const [first, second] = [people[a] as Person, people[b] as Person];
      rooms.push({
        id: (await openDirectBoth(parley.url, first, second)).id,
        kind: 'direct',
        members: [first, second],
      });
    }
    for (let g = 0; g < 8; g += 1) {
      const members = [...new Set(Array.from({ length: 5 }, () => random.pick(people)))];
      const [creator, ...others] = members as [Person, ...Person[]];
      const group = await startConversation(parley.url, creator, {
        kind: 'group',
        memberIds: others.map((p) => p.id),
        name: `g${g}`,
      });
      rooms.push({ id: group.id, kind: 'group', members });
    }
    for (let c = 0; c < 2; c += 1) {
      const [creator, ...others] = people as [Person, ...Person[]];
      const channel = await startConversation(parley.url, creator, {
        kind: 'channel',
        name: uniqueName('floor'),
        memberIds: others.map((p) => p.id),
      });
      rooms.push({ id: channel.id, kind: 'channel', members: people });
    }

    const sockets = new Map<string, ClientSocket>();
    await Promise.all(
      people.map(async (person) => sockets.set(person.id, await connect(parley.url, person.token))),
    );
    const sentBy = new Map<string, string>();
    const lastSeq = new Map<string, number>();
    const counts = { sent: 0, deleted: 0, reads: 0, disconnects: 0, emails: 0, mentions: 0 };

    async function send(room: Room, sender: Person, socket: ClientSocket): Promise<void> {
      const mentioned =
        room.kind === 'channel' && random.next() < 0.1
          ? [random.pick(room.members.filter((p) => p.id !== sender.id))]
          : [];
      const token = `chaos-${counts.sent++}`;
      const ack = await socket.emitWithAck('message:send', {
        conversationId: room.id,
        clientMsgId: randomUUID(),
        body: `${mentioned.map((p) => `@${p.displayName} `).join('')}${token}`,
        mentions: mentioned.map((p) => p.id),
      });
      if (!ack.ok) throw new Error(`send refused: ${JSON.stringify(ack.error)}`);
      counts.mentions += mentioned.length;
      sentBy.set(ack.message.id, sender.id);
      lastSeq.set(room.id, Math.max(lastSeq.get(room.id) ?? 0, ack.message.seq));
    }

    async function chaosRound(messages: number): Promise<void> {
      for (let done = 0; done < messages; done += BATCH) {
        const batch: Promise<void>[] = [];
        while (batch.length < Math.min(BATCH, messages - done)) {
          const room = random.pick(rooms);
          const sender = random.pick(room.members);
          const socket = sockets.get(sender.id);
          // Only those connected send; the others are away for now.
          if (socket) batch.push(send(room, sender, socket));
        }
        await Promise.all(batch);
        // Some read part of what they hold, some delete one of theirs, some drop off and some come back.
        const reads: Promise<unknown>[] = [];
        for (const room of rooms) {
          for (const member of room.members) {
            const socket = sockets.get(member.id);
            if (!socket || random.next() > 0.05) continue;
            counts.reads += 1;
            reads.push(
              socket.emitWithAck('conversation:read', {
                conversationId: room.id,
                seq: random.int((lastSeq.get(room.id) ?? 0) + 1),
              }),
            );
          }
        }
        const ids = [...sentBy.keys()];
        for (let d = 0; d < BATCH / 20; d += 1) {
          const id = random.pick(ids);
          const socket = sockets.get(sentBy.get(id) as string);
          if (!socket) continue;
          counts.deleted += 1;
          reads.push(socket.emitWithAck('message:delete', { messageId: id }));
        }
        await Promise.all(reads);
        for (let k = 0; k < 2; k += 1) {
          const person = random.pick(people);
          const socket = sockets.get(person.id);
          if (socket) {
            socket.disconnect();
            sockets.delete(person.id);
            counts.disconnects += 1;
          } else {
            sockets.set(person.id, await connect(parley.url, person.token));
          }
        }
      }
    }

    /** Everyone but the first few goes away; every armed step comes due; the emails are awaited. */
    async function drain(): Promise<void> {
      const active = new Set(people.slice(0, STAY_ACTIVE).map((p) => p.id));
      for (const person of people) {
        const socket = sockets.get(person.id);
        if (!active.has(person.id) && socket) {
          socket.disconnect();
          sockets.delete(person.id);
        } else if (active.has(person.id) && !socket) {
          sockets.set(person.id, await connect(parley.url, person.token));
        }
      }
      await sleep(600);
      let quiet = 0;
      let seen = -1;
      while (quiet < 4) {
        await parley.server.db.query(
          `update notification_steps set due_at = now() where status = 'pending' and due_at > now()
          and user_id <> all($1::text[])`,
          [[...active]],
        );
        await sleep(300);
        const [{ waiting } = { waiting: 0 }] = await parley.server.db.query<{ waiting: number }>(
          `select count(*)::int as waiting from notification_steps where status = 'pending' and user_id <> all($1::text[])`,
          [[...active]],
        );
        quiet = waiting === 0 && parley.smtp.mails.received.length === seen ? quiet + 1 : 0;
        seen = parley.smtp.mails.received.length;
      }
    }

    /** What each away member should be told of now: (user, conversation) → the seqs that notify them. */
    async function owed(after: Map<string, number>) {
      const rows = await parley.server.db.query<{ user_id: string; conversation_id: string; seqs: number[] }>(
        `select m.user_id, m.conversation_id, array_agg(x.seq order by x.seq) as seqs
         from conversation_members m join conversations c on c.id = m.conversation_id
         join messages x on x.conversation_id = m.conversation_id and x.seq > m.last_read_seq
         where x.kind = 'message' and x.deleted_at is null and x.sender_id <> m.user_id and not m.muted
           and (c.kind in ('direct', 'group') or exists (select 1 from message_mentions mm
             where mm.user_id = m.user_id and mm.conversation_id = m.conversation_id and mm.seq = x.seq))
         group by m.user_id, m.conversation_id`,
      );
      const result = new Map<string, number[]>();
      for (const row of rows) {
        const key = `${row.user_id} ${row.conversation_id}`;
        const fresh = row.seqs.filter((seq) => seq > (after.get(key) ?? 0));
        if (fresh.length > 0) result.set(key, fresh);
      }
      return result;
    }

    const threadOf = (userId: string, conversationId: string) =>
      createHash('sha256').update(`${userId}\u0000${conversationId}`).digest('hex').slice(0, 24);
    const byThread = new Map<string, string>();
    for (const room of rooms)
      for (const member of room.members)
        byThread.set(threadOf(member.id, room.id), `${member.id} ${room.id}`);

    const toldThrough = new Map<string, number>();
    const report: string[] = [];
    let emailsBefore = 0;
    for (const [window, messages] of WINDOWS.entries()) {
      if (window > 0) {
        // Everyone is back for a moment (what they were told of may be told again), then goes on.
        await Promise.all(
          people
            .filter((p) => !sockets.has(p.id))
            .map(async (p) => sockets.set(p.id, await connect(parley.url, p.token))),
        );
        await sleep(300);
      }
      await chaosRound(messages);
      await drain();
      const expected = await owed(toldThrough);
      const mails = parley.smtp.mails.received.slice(emailsBefore);
      emailsBefore = parley.smtp.mails.received.length;
      const perPair = new Map<string, number>();
      let violations = 0;
      let toActive = 0;
      const tokenSeqs = new Map(
        (
          await parley.server.db.query<{
            conversation_id: string;
            seq: number;
            token: string;
            deleted: boolean;
          }>(
            `select conversation_id, seq, substring(body from 'chaos-[0-9]+') as token, deleted_at is not null as deleted
             from messages where kind = 'message'`,
          )
        ).map((row) => [row.token, row]),
      );
      for (const mail of mails) {
        const thread = /conversation-([0-9a-f]{24})@/.exec(mail.parsed.inReplyTo ?? '')?.[1] ?? '';
        const pair = byThread.get(thread) as string;
        expect(pair, 'every email names a known user and conversation').toBeDefined();
        perPair.set(pair, (perPair.get(pair) ?? 0) + 1);
        if (people.slice(0, STAY_ACTIVE).some((p) => pair.startsWith(`${p.id} `))) toActive += 1;
        const owedSeqs = new Set(expected.get(pair) ?? []);
        for (const token of (mail.parsed.text ?? '').match(/chaos-\d+/g) ?? []) {
          const row = tokenSeqs.get(token);
          // Told of a message deleted, already read or already told of: each is a notification too many.
          if (!row || row.deleted || !owedSeqs.has(row.seq)) violations += 1;
        }
      }
      const away = [...expected.keys()].filter(
        (pair) => !people.slice(0, STAY_ACTIVE).some((p) => pair.startsWith(`${p.id} `)),
      );
      const missing = away.filter((pair) => !perPair.has(pair));
      const repeated = [...perPair.values()].filter((n) => n > 1).length;
      report.push(
        `window ${window + 1}: ${messages} messages, ${mails.length} emails to ${perPair.size} (user, conversation) pairs, ` +
          `${away.length} owed one; ${violations} told of read or deleted messages, ${repeated} pairs emailed twice, ` +
          `${missing.length} missing, ${toActive} to active users`,
      );
      expect({ violations, repeated, missing: missing.length, toActive }).toEqual({
        violations: 0,
        repeated: 0,
        missing: 0,
        toActive: 0,
      });
      for (const [pair, seqs] of expected)
        toldThrough.set(pair, Math.max(toldThrough.get(pair) ?? 0, ...seqs));
      counts.emails += mails.length;
    }
    console.log(
      `[notification chaos ${driver}] ${counts.sent} messages (${counts.mentions} mentions), ${counts.deleted} deletes, ` +
        `${counts.reads} reads, ${counts.disconnects} disconnects, ${counts.emails} emails\n  ${report.join('\n  ')}`,
    );
    for (const socket of sockets.values()) socket.disconnect();
  }, 240_000);
});
