// `npm run bench -- history-under-load`: whether opening a conversation (its newest page of history) and
// the conversation list stay fast for someone reading while others send: timed quiet first, then while
// the load generator sends at a fixed rate to Parley.
import { parseArgs } from 'node:util';
import { describeMachine, machineLine } from './lib/machine.ts';
import { markdownTable } from './lib/markdown-table.ts';
import { choices, positive, positiveInteger } from './lib/options.ts';
import { outOption, publishResults } from './lib/results.ts';
import { createLoadGenerator, type RateFigures } from './send-path/load-generator.ts';
import { type LatencySummary, summarize } from './stats.ts';
import { layoutOptions, parseLayout } from './targets/layout.ts';
import type { BenchUser, ParleyApi } from './targets/parley-api.ts';
import { startParleyTarget } from './targets/parley-target.ts';
import { castAndConnect } from './targets/ready-target.ts';

const QUIET_SECONDS = 3;
/** Enough history in every room that the page read is a full one. */
const SEED_SECONDS = 2;

interface Timed {
  phase: 'quiet' | 'under load';
  endpoint: string;
  latency: LatencySummary;
}

/** The reader's two requests, one at a time and in turn, until `until` says stop. */
async function timeRequests(
  api: ParleyApi,
  reader: BenchUser,
  paths: readonly string[],
  until: () => boolean,
) {
  const samples = paths.map(() => [] as number[]);
  for (let turn = 0; !until(); turn++) {
    const index = turn % paths.length;
    const before = performance.now();
    await api.call(reader, 'GET', paths[index]!);
    samples[index]!.push(performance.now() - before);
  }
  return samples.map(summarize);
}

export async function historyUnderLoad(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      rate: { type: 'string' },
      seconds: { type: 'string' },
      ...layoutOptions,
      bytes: { type: 'string' },
      target: { type: 'string' },
      ...outOption,
    },
  });
  const layout = parseLayout(values, { sockets: 200, roomSize: 10 });
  const { sockets, roomSize } = layout;
  const rate = positive('rate', values.rate, 1000);
  const seconds = positive('seconds', values.seconds, 15);
  const bodyBytes = positiveInteger('bytes', values.bytes, 100);
  const [targetName] = choices('target', values.target, ['parley-postgres', 'parley-pglite'] as const, [
    'parley-postgres',
  ]);
  const machine = await describeMachine();

  const target = await startParleyTarget(targetName!);
  const { cast, sockets: connected } = await castAndConnect(target, layout);
  // The reader is in every room but has no socket: a member the generator never counts as a recipient.
  const reader = await target.api.user('bench-reader');
  for (const room of cast.rooms) {
    await target.api.call(cast.users[room.members[0]!]!, 'POST', `/api/conversations/${room.id}/members`, {
      userIds: [reader.id],
    });
  }
  const generator = createLoadGenerator(target, connected, cast.rooms);
  await generator.runRate({ rate, seconds: SEED_SECONDS, bodyBytes, graceMs: 5000 });
  const paths = [`/api/conversations/${cast.rooms[0]!.id}/messages?limit=50`, '/api/conversations'];
  const endpoints = ['GET history page (50)', 'GET conversation list'];
  console.error(`${targetName}: timing ${endpoints.join(' and ')} quiet, then under ${rate} msg/s`);

  const quietUntil = performance.now() + QUIET_SECONDS * 1000;
  const quiet = await timeRequests(target.api, reader, paths, () => performance.now() > quietUntil);
  let loadDone = false;
  const loadUntil = performance.now() + seconds * 1000;
  const loadRun = generator.runRate({ rate, seconds, bodyBytes, graceMs: 5000 }).finally(() => {
    loadDone = true;
  });
  const underLoad = await timeRequests(
    target.api,
    reader,
    paths,
    () => loadDone || performance.now() > loadUntil,
  );
  const load: RateFigures = await loadRun;
  await target.stop();

  const timed: Timed[] = endpoints.flatMap((endpoint, i) => [
    { phase: 'quiet' as const, endpoint, latency: quiet[i]! },
    { phase: 'under load' as const, endpoint, latency: underLoad[i]! },
  ]);
  const markdown = [
    `# History and list under ${rate} msg/s (${targetName})`,
    '',
    `A reader in all ${layout.rooms} rooms (of ${roomSize}, ${sockets} sending sockets) requests a history page ` +
      `of the first room and the conversation list in turn, one at a time: ${QUIET_SECONDS} s quiet, then for ` +
      `the ${seconds} s the generator sends.`,
    '',
    `Machine: ${machineLine(machine)}.`,
    '',
    markdownTable(
      ['endpoint', 'phase', 'requests', 'p50 ms', 'p95 ms', 'max ms'],
      timed.map((t) => [
        t.endpoint,
        t.phase,
        t.latency.count,
        t.latency.p50.toFixed(1),
        t.latency.p95.toFixed(1),
        t.latency.max.toFixed(1),
      ]),
    ),
    '',
    `The load meanwhile: ${load.sendRate} msg/s sent, send→receipt p50 ${load.receiptLatency.p50} ms and p99 ` +
      `${load.receiptLatency.p99} ms, ${load.lost} lost, server CPU ${load.server.cpuPercent.toFixed(0)} %.`,
    '',
  ].join('\n');
  await publishResults(
    'history-under-load',
    machine.date,
    { json: { machine, layout, rate, seconds, bodyBytes, target: targetName, timed, load }, markdown },
    values.out,
  );
  return 0;
}
