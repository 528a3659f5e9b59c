// `parley copy-to-postgres`: moves a deployment from the embedded database (PARLEY_DATA_DIR) to PostgreSQL,
// for when it outgrows one process: the target is migrated to the same schema, must be empty, and receives
// every row in one transaction. The embedded database is held for the copy, so Parley must be stopped.
import { loadConfig } from '../../server/config.ts';
import { copyDatabase, rowsHeld } from '../../server/store/database-copy.ts';
import { migrate } from '../../server/store/migrate.ts';
import { openPostgres } from '../../server/store/postgres.ts';
import { describeDatabase, withMigratedDatabase } from '../configured-database.ts';
import { CommandFailure, type OperatorCommand, requiredOption } from '../operator-command.ts';

export const copyToPostgresCommand: OperatorCommand = {
  name: 'copy-to-postgres',
  usage: '--to postgres://USER@HOST/DATABASE',
  summary: 'copy the embedded database into an empty PostgreSQL database',
  help: [
    '  --to URL         the PostgreSQL database to fill: empty (a fresh one, or one only migrated)',
    '',
    'Stop Parley first (the embedded database serves one process). The copy is one transaction: it ends',
    'with every row or with none. Then start Parley with DATABASE_URL set to the same URL.',
    'Example: parley copy-to-postgres --to postgres://parley@db.internal/parley',
  ],
  options: { to: { type: 'string' } },
  async run({ options, env, io }) {
    const to = requiredOption(options, 'to');
    if (!/^postgres(ql)?:\/\//.test(to)) throw new CommandFailure('--to: expected a postgres:// URL');
    const config = loadConfig({ ...env, DATABASE_URL: undefined });
    if (config.database.driver !== 'pglite')
      throw new CommandFailure('PARLEY_DATA_DIR: the copy starts from the embedded database');
    const from = describeDatabase(config.database);
    // A connection the server drops while idle is of no consequence to a copy that fails on its next query.
    const target = await openPostgres(to, 2, () => {}).catch((error: Error & { code?: string }) => {
      throw new CommandFailure(
        `--to: cannot reach ${to.replace(/\/\/[^@/]*@/, '//')} (${error.code ?? error.message})`,
      );
    });
    try {
      await migrate(target);
      const held = await rowsHeld(target);
      if (held.length > 0) {
        throw new CommandFailure(
          `--to: the target database holds rows already (${held.map((t) => `${t.table} ${t.rows}`).join(', ')}); ` +
            'copy into an empty one',
        );
      }
      const copied = await withMigratedDatabase(config, io, (source) => copyDatabase(source, target));
      const total = copied.reduce((sum, table) => sum + table.rows, 0);
      io.stdout.write(
        `copied ${total} rows from ${from}:\n` +
          copied
            .filter((table) => table.rows > 0)
            .map((table) => `  ${table.table} ${table.rows}\n`)
            .join(''),
      );
      return 0;
    } finally {
      await target.close();
    }
  },
};
