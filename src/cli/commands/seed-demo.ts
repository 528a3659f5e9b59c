// `parley seed-demo`: the demo's organisations, people, channels and history written into the configured
// database through the domain, as demo mode does at its first start, for a trial on PostgreSQL say.
import { createDomains } from '../../server/app/domains.ts';
import { loadConfig } from '../../server/config.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { loadVapidKeys } from '../../server/domain/notifications/vapid-keys.ts';
import type { FanOut } from '../../server/fanout/fanout.ts';
import { createMetrics } from '../../server/metrics/metrics.ts';
import { countHostUsers } from '../../server/store/users.ts';
import { describeDatabase, warningLog, withMigratedDatabase } from '../configured-database.ts';
import { CommandFailure, type OperatorCommand } from '../operator-command.ts';

/** No one is connected to a command-line process: there is no socket to tell of the seeded messages. */
const nobodyListening: FanOut = {
  toConversation: () => {},
  toConversationExceptUser: () => {},
  toConversations: () => {},
  toUsers: () => {},
  addUsersToConversation: async () => {},
  isSubscribed: () => false,
  removeUsersFromConversation: async () => {},
};

export const seedDemoCommand: OperatorCommand = {
  name: 'seed-demo',
  usage: '[--force]',
  summary: 'write the demo data into the configured database',
  help: [
    '  --force          seed even though people signed in with host tokens are in the database',
    '',
    'Writes three organisations, seven people, their channels, DMs and a little history. A database',
    'already seeded is left as it is. Sign in as the demo people with `parley token` (e.g. --user ana',
    '--org axiom) or run the server with PARLEY_DEMO=1 for the demo login.',
  ],
  options: { force: { type: 'boolean' } },
  async run({ options, env, io }) {
    const config = loadConfig(env);
    const where = describeDatabase(config.database);
    const seeded = await withMigratedDatabase(config, io, async (db) => {
      const hostUsers = await countHostUsers(db);
      if (hostUsers > 0 && options.force !== true) {
        throw new CommandFailure(
          `${where} holds ${hostUsers} people who signed in with host tokens: this looks like a ` +
            'deployment; pass --force to seed the demo beside them',
        );
      }
      const domains = createDomains({
        config,
        db,
        fanOut: nobodyListening,
        log: warningLog(io),
        baseUrl: () => config.publicUrl ?? 'http://localhost',
        vapidKeys: await loadVapidKeys(db, config.push.vapidKeys),
        metrics: createMetrics(),
        // Seeding broadcasts to nobody: no other node needs to hear of it.
        sharedState: null,
      });
      try {
        // Host users were checked above: what else may be there is Parley's own accounts (API keys' bots).
        return await seedDemo({ db, ...domains }, { besideOtherUsers: true });
      } finally {
        domains.eventLoop?.stop();
        await domains.notifications.stop();
      }
    });
    io.stdout.write(
      seeded ? `seeded the demo into ${where}\n` : `the demo is already in ${where}: nothing written\n`,
    );
    return 0;
  },
};
