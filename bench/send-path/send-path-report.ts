// The send-path figures as people read them: a markdown table per rate and target, a summary of what
// each target sustains (Parley against the bare ceiling), and the latency chart.
import { latencyChart } from '../lib/latency-chart.ts';
import { type Machine, machineLine } from '../lib/machine.ts';
import { type Cell, markdownTable } from '../lib/markdown-table.ts';
import type { Layout } from '../targets/layout.ts';
import type { TargetName } from '../targets/target.ts';
import type { RateOptions } from './load-generator.ts';
import { highestPassing, P99_LIMIT_MS, type RateResult } from './ramp.ts';

export interface SendPathRun {
  machine: Machine;
  layout: Layout;
  run: Omit<RateOptions, 'rate'>;
  targets: TargetName[];
  results: RateResult[];
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, n) => total + n, 0);
const megabytes = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const fixed = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');

/** One line of progress on stderr while the ramp goes on. */
export function progressLine(result: RateResult): string {
  return (
    `${result.target.padEnd(16)} ${String(result.offeredRate).padStart(6)} msg/s: ` +
    `p50 ${fixed(result.receiptLatency.p50)} ms, p99 ${fixed(result.receiptLatency.p99)} ms, ` +
    `${result.sendRate} sent/s, ${result.deliveryRate} deliveries/s, lost ${result.lost}, ` +
    `server CPU ${result.server.cpuPercent.toFixed(0)} % — ${result.passed ? 'pass' : `FAIL: ${result.failures.join('; ')}`}`
  );
}

function rateRow(result: RateResult): Cell[] {
  return [
    result.offeredRate,
    result.target,
    fixed(result.receiptLatency.p50),
    fixed(result.receiptLatency.p99),
    fixed(result.ackLatency.p99),
    result.sendRate,
    result.deliveryRate,
    result.lost,
    result.duplicates,
    sum(result.shed),
    result.server.cpuPercent.toFixed(0),
    result.database ? result.database.cpuPercent.toFixed(0) : '-',
    result.generatorCpuPercent,
    megabytes(result.server.rssMaxBytes),
    result.passed ? 'pass' : `fail: ${result.failures.join('; ')}`,
  ];
}

function summaryRows(run: SendPathRun): Cell[][] {
  const bare = highestPassing(run.results, 'bare');
  return run.targets.map((target) => {
    const highest = highestPassing(run.results, target);
    const failed = run.results.find((result) => result.target === target && !result.passed);
    const share = highest !== null && bare ? `${Math.round((100 * highest) / bare)} %` : '-';
    return [
      target,
      highest ?? 'none',
      target === 'bare' || !run.targets.includes('bare') ? '-' : share,
      failed ? `${failed.offeredRate}: ${failed.failures.join('; ')}` : 'none (passed every rate)',
    ];
  });
}

export function sendPathMarkdown(run: SendPathRun, title: string): string {
  const { layout } = run;
  const rates = markdownTable(
    [
      'offered msg/s',
      'target',
      'p50 ms',
      'p99 ms',
      'ack p99 ms',
      'sent/s',
      'deliveries/s',
      'lost',
      'dup',
      'shed',
      'server CPU %',
      'db CPU %',
      'gen CPU %',
      'server RSS MB',
      'result',
    ],
    run.results.map(rateRow),
  );
  const summary = markdownTable(
    ['target', 'highest passing msg/s', '% of bare', 'first failing rate'],
    summaryRows(run),
  );
  return [
    `# ${title}`,
    '',
    `${layout.sockets} sockets in ${layout.rooms} rooms of ${layout.roomSize}, ${run.run.bodyBytes} B bodies, ` +
      `${run.run.seconds} s per rate, open loop; a rate passes with p99 send→receipt < ${P99_LIMIT_MS} ms, ` +
      'no acked message lost, nothing refused but shed load, no duplicates, and the offered rate kept.',
    '',
    `Machine: ${machineLine(run.machine)}.`,
    '',
    summary,
    '',
    rates,
    '',
    'Latencies from the send to the ack, and to the receipt at every member but the sender, on one clock. ' +
      'CPU in % of one core: the server process, PostgreSQL (its backends and writers) and the generator.',
    '',
  ].join('\n');
}

export function sendPathChart(run: SendPathRun, title: string): string {
  return latencyChart({
    title,
    subtitle: `${run.layout.sockets} sockets, rooms of ${run.layout.roomSize}, ${run.run.bodyBytes} B, ${run.run.seconds} s per rate; ${run.machine.cpuCount} cores, ${run.machine.date.slice(0, 16)}`,
    limitMs: P99_LIMIT_MS,
    series: run.targets.map((target) => ({
      name: target,
      points: run.results
        .filter((result) => result.target === target)
        .map((result) => ({
          rate: result.offeredRate,
          p50: result.receiptLatency.p50,
          p99: result.receiptLatency.p99,
          passed: result.passed,
        })),
    })),
  });
}
