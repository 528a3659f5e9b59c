// `parley start`: the server, from the same environment as `npm start` (which also builds the widget
// bundle first; `parley start` expects it built, as in a release).
import { serve } from '../../server/serve.ts';
import type { OperatorCommand } from '../operator-command.ts';

export const startCommand: OperatorCommand = {
  name: 'start',
  usage: '',
  summary: 'start the server (as `npm start`, without building the widget first)',
  help: [
    'Runs Parley from the environment (PORT, HOST, DATABASE_URL or PARLEY_DATA_DIR, PARLEY_JWT_SECRET, ...)',
    'until SIGINT or SIGTERM, migrating the database at start. See docs/operations.md for every variable.',
  ],
  options: {},
  async run({ env }) {
    // Returns once listening; the server keeps the process running until its signal handlers end it.
    await serve(env);
    return 0;
  },
};
