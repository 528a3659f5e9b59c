// Moving a deployment from the embedded database to PostgreSQL with `parley copy-to-postgres`: every row of
// every table arrives (counted per table), a server started on the copy serves the same conversations,
// messages, edits and reactions to the same people and goes on from where the embedded one stopped; a target
// that holds rows already is refused, and so is a source a running server holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runParleyCli } from '../../src/cli/parley-cli.ts';
import { acme, knownPerson } from '../helpers/access.ts';
import { captureCli } from '../helpers/cli-run.ts';
import { api, openSocket } from '../helpers/clients.ts';
import { openDirectBoth, postMessage } from '../helpers/conversations.ts';
import { postgresServerAvailable } from '../helpers/drivers.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  createTestStorage,
  startTestServer,
  TEST_SERVER_SETTINGS,
  type TestStorage,
} from '../helpers/server.ts';

const parley = (argv: string[], env: Record<string, string>) =>
  captureCli((io) => runParleyCli(argv, env, io));

describe.runIf(postgresServerAvailable)('parley copy-to-postgres', () => {
  let embedded: TestStorage;
  let target: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    embedded = await createTestStorage('pglite');
    target = await createTestDatabase();
    env = { ...TEST_SERVER_SETTINGS, ...embedded.env };
  });
  afterAll(async () => {
    await target?.drop();
    await embedded?.destroy();
  });

  it('copies every row, and a server on the copy goes on where the embedded one stopped', async () => {
    const before = await startTestServer(embedded);
    const ana = await knownPerson(before.url, 'copy-ana', acme);
    const ben = await knownPerson(before.url, 'copy-ben', acme);
    const dm = await openDirectBoth(before.url, ana, ben);
    const first = await postMessage(before.url, ana, dm.id, 'Order 1234 ships today.');
    await postMessage(before.url, ben, dm.id, 'Thanks!');
    const socket = await openSocket(before.url, ana.token).connected;
    await socket.emitWithAck('message:edit', { messageId: first.id, body: 'Order 1234 ships tomorrow.' });
    await socket.emitWithAck('reaction:add', { messageId: first.id, emoji: '👍' });
    socket.disconnect();
    const history = async (url: string) =>
      (await api(url, 'GET', `/api/conversations/${dm.id}/messages`, { token: ben.token })).body.messages;
    const list = async (url: string) =>
      (await api(url, 'GET', '/api/conversations', { token: ben.token })).body;
    const heldBefore = { history: await history(before.url), list: await list(before.url) };

    // While the embedded database is in use, the copy is refused.
    const refused = await parley(['copy-to-postgres', '--to', target.url], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/PARLEY_DATA_DIR: .* in use by Parley process/);
    await before.close();

    const copied = await parley(['copy-to-postgres', '--to', target.url], env);
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    expect(copied.stdout).toMatch(/^copied \d+ rows from the embedded database in /);
    expect(copied.stdout).toMatch(/^ {2}messages 4$/m);

    const after = await startTestServer({
      driver: 'postgres',
      env: { DATABASE_URL: target.url },
      destroy: async () => {},
    });
    try {
      expect(await history(after.url)).toEqual(heldBefore.history);
      expect(await list(after.url)).toEqual(heldBefore.list);
      // New messages take the next seqs, and search finds the copied text (its index is computed anew).
      const next = await postMessage(after.url, ana, dm.id, 'Tracking number follows.');
      expect(next.seq).toBe(5);
      const found = await api(after.url, 'GET', '/api/search?q=tomorrow', { token: ben.token });
      expect(found.body.hits.map((hit: { message: { id: string } }) => hit.message.id)).toEqual([first.id]);
    } finally {
      await after.close();
    }

    // Copying again into the now full database is refused, and changes nothing.
    const again = await parley(['copy-to-postgres', '--to', target.url], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/--to: the target database holds rows already \(.*messages 5/);
  });
});
