// The ramp: every target at each rate in turn, interleaved rate by rate so that a change in the machine's
// load shows in all targets alike. A target's ramp ends with its first failing rate, which shows the
// shape just past its limit, and its server is stopped then; its highest passing rate is what it sustains.
import { setTimeout as delay } from 'node:timers/promises';
import { sampleProcess } from '../lib/process-usage.ts';
import type { TargetName } from '../targets/target.ts';
import type { LoadGenerator, RateFigures, RateOptions } from './load-generator.ts';

/** p99 from send to receipt at every recipient must stay under this. */
export const P99_LIMIT_MS = 100;
/** Below this share of the offered rate the generator fell behind its own schedule. */
const MIN_SEND_SHARE = 0.95;
/** Between runs, a server still working through a backlog would slow the next target down. */
const SETTLED_CPU_PERCENT = 15;

export interface RateResult extends RateFigures {
  passed: boolean;
  /** Why it failed, in words; empty when it passed. */
  failures: string[];
}

const count = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

/** Sustained: fast enough at p99, nothing acked lost, nothing refused except shed load, nothing twice. */
export function judge(figures: RateFigures): string[] {
  const failures: string[] = [];
  if (!(figures.receiptLatency.p99 < P99_LIMIT_MS))
    failures.push(`p99 send→receipt ${figures.receiptLatency.p99} ms ≥ ${P99_LIMIT_MS} ms`);
  if (figures.lost > 0) failures.push(`${figures.lost} acked messages not received by every member`);
  if (count(figures.ackErrors) > 0) failures.push(`refused: ${JSON.stringify(figures.ackErrors)}`);
  if (figures.unacked > 0) failures.push(`${figures.unacked} sends never acked`);
  if (figures.duplicates > 0) failures.push(`${figures.duplicates} duplicate deliveries`);
  if (figures.misdelivered > 0) failures.push(`${figures.misdelivered} deliveries to non-members`);
  if (figures.disconnects > 0) failures.push(`${figures.disconnects} sockets disconnected`);
  if (figures.sendRate < figures.offeredRate * MIN_SEND_SHARE)
    failures.push(`the generator offered only ${figures.sendRate} msg/s`);
  return failures;
}

export interface RampOptions {
  rates: readonly number[];
  run: Omit<RateOptions, 'rate'>;
  pauseMs: number;
  /** The longest wait for a server to fall quiet after its run. */
  settleMs: number;
  /** Off for the smoke run: every target runs every rate, whatever its latency. */
  stopAfterFailure: boolean;
  onResult: (result: RateResult) => void;
}

/** Waits (a bounded time) until the server's CPU falls quiet after a run. */
async function settle(pid: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let before = sampleProcess(pid);
  while (before && performance.now() < deadline) {
    await delay(250);
    const now = sampleProcess(pid);
    if (!now || ((now.cpuSeconds - before.cpuSeconds) / 0.25) * 100 < SETTLED_CPU_PERCENT) return;
    before = now;
  }
}

export async function ramp(
  generators: readonly LoadGenerator[],
  options: RampOptions,
): Promise<RateResult[]> {
  const results: RateResult[] = [];
  const ramping = new Set<TargetName>(generators.map((generator) => generator.target.name));
  for (const rate of options.rates) {
    for (const { target, runRate } of generators) {
      if (!ramping.has(target.name)) continue;
      const gone = target.nodes.find((node) => node.exited() !== null);
      if (gone) throw new Error(`${target.name} exited (${gone.exited()}):\n${gone.tail()}`);
      const figures = await runRate({ ...options.run, rate });
      const failures = judge(figures);
      for (const node of target.nodes)
        if (node.exited() !== null) failures.push(`${node.name} exited (${node.exited()})`);
      const result = { ...figures, passed: failures.length === 0, failures };
      results.push(result);
      options.onResult(result);
      if (!result.passed && options.stopAfterFailure) {
        ramping.delete(target.name);
        // A server past its limit may hold a backlog for long after; it must not slow the others' runs.
        await target.stop();
      } else for (const node of target.nodes) await settle(node.pid, options.settleMs);
      await delay(options.pauseMs);
    }
    if (ramping.size === 0) break;
  }
  return results;
}

/** The highest rate a target passed before its first failure; null if it passed none. */
export function highestPassing(results: readonly RateResult[], target: TargetName): number | null {
  let highest: number | null = null;
  for (const result of results.filter((r) => r.target === target)) {
    if (!result.passed) break;
    highest = result.offeredRate;
  }
  return highest;
}
