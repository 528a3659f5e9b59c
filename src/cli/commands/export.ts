// `parley export`: conversations and their messages as JSON lines, for backup and compliance, written as
// they are read so that exporting a large database takes no more memory than a small one.

import { EventEmitter, once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { loadConfig } from '../../server/config.ts';
import { exportConversations } from '../../server/domain/administration/conversation-export.ts';
import { findConversationFacts } from '../../server/store/conversations.ts';
import { withMigratedDatabase } from '../configured-database.ts';
import { type CliIo, CommandFailure, type OperatorCommand } from '../operator-command.ts';
import { stringOption, UsageError } from '../options.ts';

/** Where the lines go: the file of --out, or stdout; either way each write waits while the target is full. */
interface LineTarget {
  write(line: string): Promise<void>;
  close(): Promise<void>;
}

function fileTarget(path: string): LineTarget {
  const file: WriteStream = createWriteStream(path, { flags: 'wx' });
  let failed: NodeJS.ErrnoException | undefined;
  file.on('error', (error) => {
    failed = error;
  });
  const failure = (error: NodeJS.ErrnoException) =>
    new CommandFailure(`--out: cannot write ${path} (${error.code ?? error.message})`);
  // events.once rejects on the stream's 'error': waiting for drain or finish hears a failure too.
  const waitFor = async (event: 'drain' | 'finish') => {
    if (failed) throw failure(failed);
    await once(file, event).catch((error: NodeJS.ErrnoException) => {
      throw failure(error);
    });
  };
  return {
    async write(line) {
      if (failed) throw failure(failed);
      if (!file.write(line)) await waitFor('drain');
    },
    async close() {
      file.end();
      await waitFor('finish');
    },
  };
}

function streamTarget(io: CliIo): LineTarget {
  const { stdout } = io;
  return {
    async write(line) {
      // process.stdout answers false when its buffer is full; a test's capture never does.
      if (stdout.write(line) === false && stdout instanceof EventEmitter) await once(stdout, 'drain');
    },
    async close() {},
  };
}

export const exportCommand: OperatorCommand = {
  name: 'export',
  usage: '--conversation ID | --all [--out FILE]',
  summary: 'export conversations with their messages as JSON lines',
  help: [
    '  --conversation ID  one conversation',
    '  --all              every conversation',
    '  --out FILE         write to this new file (refused if it exists) instead of stdout',
    '',
    'One JSON object per line: {"type":"conversation",...} then its entries in order, each',
    '"message" (with its body), "tombstone" (a deleted message: who and when, never a body) or',
    '"change" (an edit, deletion or reaction, at its place in the order).',
    'Example: parley export --all --out parley-$(date +%F).jsonl',
  ],
  options: { conversation: { type: 'string' }, all: { type: 'boolean' }, out: { type: 'string' } },
  async run({ options, env, io }) {
    const conversationId = stringOption(options, 'conversation') ?? null;
    if ((conversationId === null) === (options.all !== true)) {
      throw new UsageError('export needs --conversation ID or --all (one of them)');
    }
    const out = stringOption(options, 'out');
    const config = loadConfig(env);
    const count = await withMigratedDatabase(config, io, async (db) => {
      if (conversationId !== null && !(await findConversationFacts(db, conversationId))) {
        throw new CommandFailure(`no conversation ${conversationId} in this database`);
      }
      const target = out ? fileTarget(out) : streamTarget(io);
      let lines = 0;
      try {
        for await (const record of exportConversations(db, conversationId)) {
          await target.write(`${JSON.stringify(record)}\n`);
          lines += 1;
        }
      } finally {
        await target.close();
      }
      return lines;
    });
    if (out) io.stderr.write(`wrote ${count} lines to ${out}\n`);
    return 0;
  },
};
