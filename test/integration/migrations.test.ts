// Several nodes starting at once against one PostgreSQL database apply each migration exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/store/db.ts';
import { migrate } from '../../src/server/store/migrate.ts';
import { openPostgres } from '../../src/server/store/postgres.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

const drivers = await testDrivers();

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
    expect(applied.flat()).toEqual(['001_init.sql']);
    const rows = await nodes[0]!.query('select name from schema_migrations');
    expect(rows).toEqual([{ name: '001_init.sql' }]);
  });

  it('refuses to start when an applied migration file was changed', async () => {
    const [first] = (await import('../../src/server/store/migrate.ts')).readMigrations();
    await expect(migrate(nodes[0]!, [{ ...first!, checksum: 'edited' }])).rejects.toThrow(
      'was changed after it was applied',
    );
  });
});
