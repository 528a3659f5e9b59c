// What was acknowledged before a restart is there after it, and seqs continue without a gap.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../src/server/store/migrate.ts';
import { api, newUser } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { createTestStorage, startTestServer, type TestStorage } from '../helpers/server.ts';

const drivers = testDrivers();

describe.each(drivers)('restart on %s', (driver) => {
  const storages: TestStorage[] = [];
  afterAll(async () => {
    for (const storage of storages) await storage.destroy();
  });

  it('keeps conversations and messages across a server restart, and applies no migration twice', async () => {
    const storage = await createTestStorage(driver);
    storages.push(storage);
    const [ana, ben] = [await newUser('ana'), await newUser('ben')];

    const before = await startTestServer(storage);
    await api(before.url, 'GET', '/api/me', { token: ben.token });
    const dm = (
      await api(before.url, 'POST', '/api/conversations', {
        token: ana.token,
        body: { kind: 'direct', memberIds: [ben.id] },
      })
    ).body.conversation;
    const sent = [];
    for (const body of ['before restart 1', 'before restart 2']) {
      sent.push(
        (
          await api(before.url, 'POST', `/api/conversations/${dm.id}/messages`, {
            token: ana.token,
            body: { clientMsgId: randomUUID(), body },
          })
        ).body.message,
      );
    }
    await before.close();

    const after = await startTestServer(storage);
    try {
      const history = await api(after.url, 'GET', `/api/conversations/${dm.id}/messages`, {
        token: ben.token,
      });
      expect(history.body.messages).toEqual(sent);
      const next = await api(after.url, 'POST', `/api/conversations/${dm.id}/messages`, {
        token: ben.token,
        body: { clientMsgId: randomUUID(), body: 'after restart' },
      });
      expect(next.body.message.seq).toBe(3);
      const resent = await api(after.url, 'POST', `/api/conversations/${dm.id}/messages`, {
        token: ana.token,
        body: { clientMsgId: sent[0].clientMsgId, body: sent[0].body },
      });
      expect(resent.body.message).toEqual(sent[0]);
      const migrations = await after.db.query<{ name: string }>(
        'select name from schema_migrations order by name',
      );
      expect(migrations.map((row) => row.name)).toEqual(readMigrations().map((migration) => migration.name));
    } finally {
      await after.close();
    }
  });
});
