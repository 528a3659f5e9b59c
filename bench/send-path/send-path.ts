// `npm run bench -- send-path`: how many messages a second each target carries from sender to every
// member within the latency limit, Parley next to the bare Socket.IO ceiling measured in the same run.
// `--smoke` runs the whole pipeline small and fast for CI and fails only when the pipeline breaks.
import { parseArgs } from 'node:util';
import { describeMachine } from '../lib/machine.ts';
import { choices, nonNegative, positive, positiveInteger, rateList } from '../lib/options.ts';
import { outOption, publishResults } from '../lib/results.ts';
import { checkDescriptors } from '../targets/bench-sockets.ts';
import { layoutOptions, parseLayout } from '../targets/layout.ts';
import { castAndConnect } from '../targets/ready-target.ts';
import { startTarget } from '../targets/start-target.ts';
import { type TargetName, targetNames } from '../targets/target.ts';
import { createLoadGenerator, type LoadGenerator, type RateOptions } from './load-generator.ts';
import { type RateResult, ramp } from './ramp.ts';
import { progressLine, type SendPathRun, sendPathChart, sendPathMarkdown } from './send-path-report.ts';

const FULL = {
  rates: [250, 500, 1000, 2000, 3000, 4000, 6000, 8000],
  sockets: 200,
  roomSize: 10,
  seconds: 15,
  graceMs: 5000,
  pauseMs: 2000,
  settleMs: 15_000,
  warmUpSeconds: 3,
};
/** About 20 s in all: two low rates of 2 s on 40 sockets. */
const SMOKE: typeof FULL = {
  rates: [50, 200],
  sockets: 40,
  roomSize: 10,
  seconds: 2,
  // Generous: a healthy run ends as soon as everything has arrived; a busy CI machine may need the time.
  graceMs: 10_000,
  pauseMs: 300,
  settleMs: 2000,
  warmUpSeconds: 0,
};

function parse(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      smoke: { type: 'boolean', default: false },
      rates: { type: 'string' },
      ...layoutOptions,
      bytes: { type: 'string' },
      seconds: { type: 'string' },
      grace: { type: 'string' },
      pause: { type: 'string' },
      warmup: { type: 'string' },
      targets: { type: 'string' },
      ...outOption,
    },
  });
  const defaults = values.smoke ? SMOKE : FULL;
  const layout = parseLayout(values, defaults);
  return {
    smoke: values.smoke,
    layout,
    rates: rateList('rates', values.rates, defaults.rates),
    run: {
      seconds: positive('seconds', values.seconds, defaults.seconds),
      bodyBytes: positiveInteger('bytes', values.bytes, 100),
      graceMs: 1000 * positive('grace', values.grace, defaults.graceMs / 1000),
    } satisfies Omit<RateOptions, 'rate'>,
    pauseMs: 1000 * nonNegative('pause', values.pause, defaults.pauseMs / 1000),
    settleMs: defaults.settleMs,
    warmUpSeconds: nonNegative('warmup', values.warmup, defaults.warmUpSeconds),
    targets: choices<TargetName>('targets', values.targets, targetNames, targetNames),
    out: values.out,
  };
}

/** What the smoke run requires: at its lowest rate, every send acked and delivered to each member once. */
function smokeFailures(
  results: readonly RateResult[],
  targets: readonly TargetName[],
  rate: number,
): string[] {
  return targets.flatMap((target) => {
    const result = results.find((r) => r.target === target && r.offeredRate === rate);
    if (!result) return [`${target}: no result at ${rate} msg/s`];
    const broken = result.failures.filter((failure) => !/p99|offered only/.test(failure));
    // Shed load passes a ramp, but with every limit out of reach nothing at this rate may be shed.
    if (result.acked < result.sent) broken.push(`only ${result.acked} of ${result.sent} sends acked`);
    return broken.map((failure) => `${target} at ${rate} msg/s: ${failure}`);
  });
}

export async function sendPath(args: string[]): Promise<number> {
  const options = parse(args);
  const started = performance.now();
  const say = (line: string) =>
    console.error(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${line}`);
  checkDescriptors(options.layout.sockets * options.targets.length);
  const machine = await describeMachine();
  say(
    `starting ${options.targets.join(', ')}; ${options.layout.sockets} sockets each in ${options.layout.rooms} rooms of ${options.layout.roomSize}`,
  );
  const running: LoadGenerator[] = [];
  const prepare = async (name: TargetName): Promise<LoadGenerator> => {
    const target = await startTarget(name);
    say(`${name}: up at ${target.server.url} (pid ${target.server.pid})`);
    const { cast, sockets } = await castAndConnect(target, options.layout);
    say(`${name}: ${sockets.length} sockets connected and synced`);
    const generator = createLoadGenerator(target, sockets, cast.rooms);
    running.push(generator);
    return generator;
  };
  const rampOptions = {
    rates: options.rates,
    run: options.run,
    pauseMs: options.pauseMs,
    settleMs: options.settleMs,
    stopAfterFailure: !options.smoke,
    onResult: (result: RateResult) => say(progressLine(result)),
  };
  let results: RateResult[];
  if (options.smoke) {
    // Only whether the pipeline works: each target runs as soon as it is up, beside the others.
    const byTarget = await Promise.all(
      options.targets.map(async (name) => ramp([await prepare(name)], rampOptions)),
    );
    results = options.rates.flatMap((rate) =>
      byTarget.flat().filter((result) => result.offeredRate === rate),
    );
  } else {
    // Started side by side, then measured in turn; each keeps running (idle between its runs) until its
    // ramp ends.
    const generators = await Promise.all(options.targets.map(prepare));
    if (options.warmUpSeconds > 0) {
      // JIT, connection pools and caches warm before anything is recorded.
      for (const generator of generators) {
        await generator.runRate({ ...options.run, rate: options.rates[0]!, seconds: options.warmUpSeconds });
      }
    }
    results = await ramp(generators, rampOptions);
  }
  for (const generator of running) await generator.target.stop();

  const run: SendPathRun = {
    machine,
    layout: options.layout,
    run: options.run,
    targets: options.targets,
    results,
  };
  const title = options.smoke
    ? 'Send path (smoke run)'
    : 'Send path: Parley against a bare Socket.IO broadcast';
  await publishResults(
    options.smoke ? 'send-path-smoke' : 'send-path',
    machine.date,
    { json: run, markdown: sendPathMarkdown(run, title), svg: sendPathChart(run, title) },
    options.out,
  );
  if (!options.smoke) return 0;
  const failures = smokeFailures(results, options.targets, options.rates[0]!);
  for (const failure of failures) console.error(`smoke: ${failure}`);
  return failures.length === 0 ? 0 : 1;
}
