// Runs a CLI's run function in-process with its standard streams captured, as the tests of the admin and
// operator CLIs read them.
import type { CliIo } from '../../src/cli/operator-command.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function captureCli(run: (io: CliIo) => Promise<number>): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run({
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}
