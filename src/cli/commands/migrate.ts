// `parley migrate`: brings the configured database's schema up to date and says what it applied. The
// server does the same at start; running it first lets an operator migrate before rolling out new nodes.
import { loadConfig } from '../../server/config.ts';
import { readMigrations } from '../../server/store/migrate.ts';
import { describeDatabase, withMigratedDatabase } from '../configured-database.ts';
import type { OperatorCommand } from '../operator-command.ts';

export const migrateCommand: OperatorCommand = {
  name: 'migrate',
  usage: '',
  summary: 'apply pending migrations to the configured database and exit',
  help: [
    'Applies the numbered migrations the database has not seen (DATABASE_URL, or the embedded database in',
    'PARLEY_DATA_DIR), each once, and prints their names. Running it again applies nothing.',
  ],
  options: {},
  async run({ env, io }) {
    const config = loadConfig(env);
    const applied = await withMigratedDatabase(config, io, async (_db, names) => names);
    const where = describeDatabase(config.database);
    if (applied.length === 0) {
      io.stdout.write(`${where} is up to date (${readMigrations().length} migrations): nothing applied\n`);
    } else {
      io.stdout.write(`applied to ${where}:\n${applied.map((name) => `  ${name}\n`).join('')}`);
    }
    return 0;
  },
};
