// Whether this process is overloaded: its event loop lags behind, on average, for a whole window. Past that
// point every extra message only makes everyone wait longer, so sends are refused (retryable) until the lag
// falls again. The mean, not a high percentile: one long statement (a large search on the embedded
// database) blocks the loop once and is not overload.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface EventLoopLoad {
  /** True while the last window's mean lag exceeded the limit. */
  overloaded(): boolean;
  stop(): void;
}

export function watchEventLoop({
  maxLagMs,
  windowMs,
}: {
  maxLagMs: number;
  windowMs: number;
}): EventLoopLoad {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let overloaded = false;
  const timer = setInterval(() => {
    overloaded = histogram.count > 0 && histogram.mean / 1e6 > maxLagMs;
    histogram.reset();
  }, windowMs);
  timer.unref();
  return {
    overloaded: () => overloaded,
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
