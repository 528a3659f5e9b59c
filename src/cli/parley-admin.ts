// Entry of the admin CLI (`npm run admin -- <command>`): the same as `parley admin <command>`.
import { runParleyCli } from './parley-cli.ts';

process.exitCode = await runParleyCli(['admin', ...process.argv.slice(2)], process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
});
