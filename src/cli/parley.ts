// Entry of the operator CLI (`parley <command>`, `npm run parley -- <command>`): this process's
// environment and standard streams, and an exit code.
import { runParleyCli } from './parley-cli.ts';

// A reader that stopped reading (`parley export --all | head`) has what it wanted: end as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

process.exitCode = await runParleyCli(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
});
