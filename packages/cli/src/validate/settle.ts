import type { OtlpSink } from '@datum-telemetry/otlp-sink';
import { sleep } from './wait.js';

/** How long to wait for exports to settle. */
export interface SettleOptions {
  /** Settled once nothing new arrived for this long and nothing is in flight. */
  readonly quietMs: number;
  /** Give up waiting after this long. */
  readonly maxMs: number;
  /** Also wait for one metrics export that starts after now (periodic readers export on a timer). */
  readonly awaitMetricsExport: boolean;
  readonly signal?: AbortSignal;
}

function metricsExports(sink: OtlpSink): number {
  return sink.requests().filter((r) => r.signal === 'metrics').length;
}

/** Waits until the service's exports have settled (or the deadline passed). */
export async function settleExports(sink: OtlpSink, options: SettleOptions): Promise<void> {
  const start = Date.now();
  const metricsBefore = metricsExports(sink);
  let seen = -1;
  let changedAt = start;
  for (;;) {
    const now = Date.now();
    const count = sink.requests().length + sink.rejected().length;
    if (count !== seen || sink.pendingRequests() > 0) {
      seen = count;
      changedAt = now;
    }
    const metricsDone = !options.awaitMetricsExport || metricsExports(sink) > metricsBefore;
    if (metricsDone && now - changedAt >= options.quietMs) return;
    if (now - start >= options.maxMs || options.signal?.aborted) return;
    await sleep(50, options.signal);
  }
}
