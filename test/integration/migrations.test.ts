// Several nodes starting at once against one PostgreSQL database apply each migration exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/store/db.ts';
import { migrate, readMigrations } from '../../src/server/store/migrate.ts';
import { openPostgres } from '../../src/server/store/postgres.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

const drivers = testDrivers();

describe.runIf(drivers.includes('postgres'))('migrations on postgres', () => {
  let database: TestDatabase;
  let nodes: Database[];
  beforeAll(async () => {
    database = await createTestDatabase();
    const failOnIdleError = (error: Error) => {
      throw error;
    };
    nodes = await Promise.all([1, 2, 3].map(() => openPostgres(database.url, 2, failOnIdleError)));
  });
  afterAll(async () => {
    for (const node of nodes ?? []) await node.close();
    await database?.drop();
  });

  it('applies each migration once when three nodes migrate together', async () => {
    const applied = await Promise.all(nodes.map((node) => migrate(node)));
    const all = readMigrations().map((migration) => migration.name);
    expect(applied.flat().sort()).toEqual(all);
    const rows = await nodes[0]!.query<{ name: string }>('select name from schema_migrations order by name');
    expect(rows.map((row) => row.name)).toEqual(all);
  });

  it('refuses to start when an applied migration file was changed', async () => {
    const [first] = readMigrations();
    await expect(migrate(nodes[0]!, [{ ...first!, checksum: 'edited' }])).rejects.toThrow(
      'was changed after it was applied',
    );
  });
});
