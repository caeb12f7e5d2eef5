import { ConfigError } from '@datum-telemetry/config';
import { DEFAULT_REQUEST_DURATION_BUCKETS } from '@datum-telemetry/conventions';

/**
 * Bucket boundaries for durations in seconds, 5 ms to 10 s: the Prometheus client default, which
 * suits request latencies (the request duration histograms' default, from the conventions). The
 * SDK's own default (0 to 10000) is meant for milliseconds.
 */
export const DEFAULT_SECONDS_BUCKETS: readonly number[] = DEFAULT_REQUEST_DURATION_BUCKETS;

/**
 * The SDK's default boundaries of an explicit-bucket histogram (3.1.0 `DefaultAggregation`), for a
 * histogram that brings none: what its exemplars are bucketed by before collection (at collection
 * they go to the buckets of the SDK's point, whatever they are).
 */
export const SDK_DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
]);

/** Checks explicit bucket boundaries: finite, strictly ascending, at least one. */
export function checkBuckets(option: string, buckets: unknown): number[] {
  if (!Array.isArray(buckets) || buckets.length === 0) {
    throw new ConfigError(option, 'expected a non-empty array of ascending finite numbers');
  }
  const out: number[] = [];
  for (const value of buckets) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ConfigError(option, `got ${String(value)}; expected finite numbers only`);
    }
    const previous = out[out.length - 1];
    if (previous !== undefined && value <= previous) {
      throw new ConfigError(
        option,
        `${value} follows ${previous}; boundaries must be strictly ascending`,
      );
    }
    out.push(value);
  }
  return out;
}
