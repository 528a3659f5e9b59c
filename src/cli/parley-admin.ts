// Entry of the admin CLI (`npm run admin -- <command>`): reads the environment once and runs one command.
import { runAdminCli } from './admin-cli.ts';

// Empty variables count as unset, as in the server's configuration.
const variable = (name: string): string | undefined => process.env[name] || undefined;

process.exitCode = await runAdminCli(
  process.argv.slice(2),
  {
    url: variable('PARLEY_URL'),
    token: variable('PARLEY_ADMIN_TOKEN'),
    jwtSecret: variable('PARLEY_JWT_SECRET'),
  },
  { stdout: process.stdout, stderr: process.stderr },
);
