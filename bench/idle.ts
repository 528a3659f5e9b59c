// `npm run bench -- idle`: what K idle, authenticated sockets cost a server: how fast they connect, the
// memory each holds (resident memory after minus before, over K) and the CPU their heartbeats take, for
// Parley next to the bare Socket.IO server.
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { describeMachine, machineLine } from './lib/machine.ts';
import { markdownTable } from './lib/markdown-table.ts';
import { choices, positive } from './lib/options.ts';
import { sampleProcess, watchUsage } from './lib/process-usage.ts';
import { outOption, publishResults } from './lib/results.ts';
import { checkDescriptors, closeSockets, connectSockets } from './targets/bench-sockets.ts';
import { type Layout, layoutOptions, parseLayout } from './targets/layout.ts';
import { startTarget } from './targets/start-target.ts';
import { type TargetName, targetNames } from './targets/target.ts';

/**
 * Before each memory reading: the server finishes what setup or connecting started, and V8's memory reducer
 * hands back the heap that work grew, which it does some 10–15 s after allocation stops. Read sooner, the
 * "before" holds the setup's garbage and the difference per socket comes out too small.
 */
const QUIET_MS = 20_000;

interface IdleResult {
  target: TargetName;
  sockets: number;
  connectSeconds: number;
  connectsPerSecond: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  rssPerSocketBytes: number;
  idleCpuPercent: number;
}

async function measureIdle(name: TargetName, layout: Layout, idleSeconds: number): Promise<IdleResult> {
  const target = await startTarget(name);
  try {
    const cast = await target.cast(layout);
    await delay(QUIET_MS);
    const before = sampleProcess(target.server.pid)!;
    const started = performance.now();
    const sockets = await connectSockets(() => target.server.url, cast.handshakes);
    const connectSeconds = (performance.now() - started) / 1000;
    console.error(
      `${name}: ${layout.sockets} sockets connected and synced in ${connectSeconds.toFixed(1)} s`,
    );
    try {
      await delay(QUIET_MS);
      const usage = watchUsage(() => [target.server.pid]);
      await delay(idleSeconds * 1000);
      const idle = usage.stop();
      return {
        target: name,
        sockets: layout.sockets,
        connectSeconds: Math.round(connectSeconds * 10) / 10,
        connectsPerSecond: Math.round(layout.sockets / connectSeconds),
        rssBeforeBytes: before.rssBytes,
        rssAfterBytes: idle.rssEndBytes,
        rssPerSocketBytes: Math.round((idle.rssEndBytes - before.rssBytes) / layout.sockets),
        idleCpuPercent: Math.round(idle.cpuPercent * 10) / 10,
      };
    } finally {
      closeSockets(sockets);
    }
  } finally {
    await target.stop();
  }
}

export async function idle(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...layoutOptions,
      'idle-seconds': { type: 'string' },
      targets: { type: 'string' },
      ...outOption,
    },
  });
  const layout = parseLayout(values, { sockets: 5000, roomSize: 10 });
  const { sockets, roomSize } = layout;
  const idleSeconds = positive('idle-seconds', values['idle-seconds'], 10);
  const targets = choices<TargetName>('targets', values.targets, targetNames, ['bare', 'parley-postgres']);
  checkDescriptors(sockets);
  const machine = await describeMachine();

  // One target at a time: memory and CPU are read with nothing else connected.
  const results: IdleResult[] = [];
  for (const name of targets) results.push(await measureIdle(name, layout, idleSeconds));
  const bare = results.find((result) => result.target === 'bare');
  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  const markdown = [
    `# ${sockets} idle sockets`,
    '',
    `Each socket one user, authenticated and synced, in rooms of ${roomSize}; memory is the server's resident ` +
      `memory after connecting minus before, over ${sockets}; idle CPU over ${idleSeconds} s of heartbeats.`,
    '',
    `Machine: ${machineLine(machine)}.`,
    '',
    markdownTable(
      ['target', 'connects/s', 'RSS before MB', 'RSS after MB', 'KiB per socket', 'vs bare', 'idle CPU %'],
      results.map((result) => [
        result.target,
        result.connectsPerSecond,
        (result.rssBeforeBytes / 2 ** 20).toFixed(0),
        (result.rssAfterBytes / 2 ** 20).toFixed(0),
        kib(result.rssPerSocketBytes),
        bare && result !== bare ? `${(result.rssPerSocketBytes / bare.rssPerSocketBytes).toFixed(1)} ×` : '-',
        result.idleCpuPercent.toFixed(1),
      ]),
    ),
    '',
  ].join('\n');
  await publishResults(
    `idle-${sockets}`,
    machine.date,
    { json: { machine, layout, idleSeconds, results }, markdown },
    values.out,
  );
  return 0;
}
