// Whether this process is overloaded: its event loop lags behind. Past that point every extra message only
// makes everyone wait longer, so sends are refused (retryable) until the lag falls again.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface EventLoopLoad {
  /** True while the last window's 99th-percentile lag exceeded the limit. */
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
    overloaded = histogram.percentile(99) / 1e6 > maxLagMs;
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
