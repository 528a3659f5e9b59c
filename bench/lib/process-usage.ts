// CPU and memory of other processes (the server under test, PostgreSQL's backends) over a stretch of
// time, read from /proc: what the server spent, not what the benchmark spent driving it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const SAMPLE_INTERVAL_MS = 500;

/** Kernel clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100; // getconf missing: Linux has used 100 on every common architecture for decades.
  }
})();

export interface ProcessSample {
  cpuSeconds: number;
  rssBytes: number;
}

/** User plus system CPU time and resident memory of one process; null once it has gone. */
export function sampleProcess(pid: number): ProcessSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    return { cpuSeconds: ticks / ticksPerSecond, rssBytes: rssKb * 1024 };
  } catch {
    return null;
  }
}

export interface Usage {
  /** CPU time over wall time, in percent of one core (200 is two cores busy). */
  cpuPercent: number;
  /** The largest resident memory seen, summed over the processes (shared memory counted in each). */
  rssMaxBytes: number;
  rssEndBytes: number;
}

/**
 * Starts watching the processes `pids` names at each sample (a set that may change: PostgreSQL's pool opens
 * and closes backends); `stop` gives their usage since. A process counts from its first sample to its last.
 */
export function watchUsage(pids: () => readonly number[]): { stop: () => Usage } {
  const startedAt = performance.now();
  const first = new Map<number, ProcessSample>();
  const last = new Map<number, ProcessSample>();
  let rssMaxBytes = 0;
  const sample = () => {
    let rss = 0;
    for (const pid of pids()) {
      const now = sampleProcess(pid);
      if (!now) continue;
      if (!first.has(pid)) first.set(pid, now);
      last.set(pid, now);
      rss += now.rssBytes;
    }
    rssMaxBytes = Math.max(rssMaxBytes, rss);
    return rss;
  };
  sample();
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      const rssEndBytes = sample();
      const seconds = (performance.now() - startedAt) / 1000;
      let cpuSeconds = 0;
      for (const [pid, end] of last) cpuSeconds += end.cpuSeconds - first.get(pid)!.cpuSeconds;
      return { cpuPercent: Math.round((1000 * cpuSeconds) / seconds) / 10, rssMaxBytes, rssEndBytes };
    },
  };
}
