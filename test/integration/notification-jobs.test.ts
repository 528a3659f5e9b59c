// Notification steps are durable jobs: a step armed before a restart is sent after it, once; and two nodes
// on one PostgreSQL database, both running the ladder, send each due step once between them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../../src/server/app.ts';
import { axiom, knownPerson, type Person } from '../helpers/access.ts';
import { openDirectBoth, postMessage } from '../helpers/conversations.ts';
import { postgresServerAvailable, testDrivers } from '../helpers/drivers.ts';
import { eventually, sleep } from '../helpers/notifying-server.ts';
import { createTestStorage, type Driver, startTestServer, type TestStorage } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.ts';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
});

const start = (storage: TestStorage) =>
  startTestServer(storage, {
    env: {
      PARLEY_SMTP_URL: smtp.url,
      PARLEY_MAIL_FROM: 'parley@axiom.example.test',
      PARLEY_PUBLIC_URL: 'https://chat.axiom.example.test',
      PARLEY_NOTIFY_TICK_MS: '50',
    },
  });

const mailsTo = (person: Person) =>
  smtp.mails.received.filter((mail) => mail.to.includes(`${person.id}@example.test`));

/** Alice writes to Bob, who is away, on `server`; resolves once Bob's email step is armed. */
async function armedDigest(server: ParleyServer, label: string) {
  const alice = await knownPerson(server.url, `alice-${label}`, axiom);
  const bob = await knownPerson(server.url, `bob-${label}`, axiom);
  const dm = await openDirectBoth(server.url, alice, bob);
  await postMessage(server.url, alice, dm.id, `before the restart ${label}`);
  await eventually('the armed email step', async () =>
    (
      await server.db.query(
        `select 1 from notification_steps where user_id = $1 and step = 'email' and status = 'pending'`,
        [bob.id],
      )
    ).length > 0
      ? true
      : undefined,
  );
  return bob;
}

const dueNow = (server: ParleyServer, bob: Person) =>
  server.db.query(`update notification_steps set due_at = now() where user_id = $1 and step = 'email'`, [
    bob.id,
  ]);

describe.each(testDrivers())('notification steps on %s', (driver: Driver) => {
  it('survive a restart: armed before it, sent after it, once', async () => {
    const storage = await createTestStorage(driver);
    try {
      const before = await start(storage);
      const bob = await armedDigest(before, 'restart');
      await before.close();
      const after = await start(storage);
      try {
        await dueNow(after, bob);
        await eventually('the digest after the restart', async () =>
          mailsTo(bob).length > 0 ? true : undefined,
        );
        await sleep(300);
        expect(mailsTo(bob)).toHaveLength(1);
      } finally {
        await after.close();
      }
    } finally {
      await storage.destroy();
    }
  });
});

describe.runIf(postgresServerAvailable)('notification steps on two nodes', () => {
  it('are sent once between them', async () => {
    const storage = await createTestStorage('postgres');
    const nodes = [await start(storage), await start(storage)];
    try {
      const first = nodes[0] as ParleyServer;
      const bobs: Person[] = [];
      for (let i = 0; i < 10; i += 1) bobs.push(await armedDigest(first, `nodes-${i}`));
      for (const bob of bobs) await dueNow(first, bob);
      await eventually('every digest', async () =>
        bobs.every((bob) => mailsTo(bob).length > 0) ? true : undefined,
      );
      await sleep(500);
      expect(bobs.map((bob) => mailsTo(bob).length)).toEqual(bobs.map(() => 1));
    } finally {
      for (const node of nodes) await node.close();
      await storage.destroy();
    }
  });
});
