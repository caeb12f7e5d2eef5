// Which exemplars a series keeps and shows: the cumulative Prometheus store keeps one per bucket of a
// histogram (and one per series of a counter) across collections, and the OpenMetrics exposition
// writes that one on the bucket's line. Exemplars that a producer got wrong are dropped here, so a bad
// one can never reach the exposition.
import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import type { MetricExemplar } from './types.js';

/** `[seconds, nanoseconds]`: whole seconds since the epoch, nanoseconds below one second. */
function isHrTime(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isSafeInteger(value[0]) &&
    value[0] >= 0 &&
    Number.isSafeInteger(value[1]) &&
    value[1] >= 0 &&
    value[1] < 1e9
  );
}

/**
 * True for an exemplar that can be shown: valid (non-zero, hex) trace and span ids, a value that is
 * a number and not NaN, a time, and attributes.
 */
export function isShowableExemplar(exemplar: unknown): exemplar is MetricExemplar {
  if (typeof exemplar !== 'object' || exemplar === null) return false;
  const e = exemplar as Partial<Record<keyof MetricExemplar, unknown>>;
  return (
    typeof e.traceId === 'string' &&
    isValidTraceId(e.traceId) &&
    typeof e.spanId === 'string' &&
    isValidSpanId(e.spanId) &&
    typeof e.value === 'number' &&
    !Number.isNaN(e.value) &&
    isHrTime(e.time) &&
    typeof e.filteredAttributes === 'object' &&
    e.filteredAttributes !== null
  );
}

/** The exemplars of a data point, whatever it carries (only an array of showable ones). */
export function exemplarsOf(point: object): MetricExemplar[] {
  const exemplars = (point as { readonly exemplars?: unknown }).exemplars;
  if (!Array.isArray(exemplars)) return [];
  return exemplars.filter(isShowableExemplar);
}

/**
 * The bucket of explicit, ascending `boundaries` that holds `value`: the first whose bound is not
 * below it (buckets are `(previous, bound]`), `boundaries.length` for the `+Inf` bucket.
 */
export function bucketIndex(boundaries: readonly number[], value: number): number {
  let low = 0;
  let high = boundaries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (value <= boundaries[middle]!) high = middle;
    else low = middle + 1;
  }
  return low;
}

function later(a: MetricExemplar, b: MetricExemplar): boolean {
  return a.time[0] > b.time[0] || (a.time[0] === b.time[0] && a.time[1] > b.time[1]);
}

/**
 * One exemplar per bucket (`boundaries.length + 1` entries, `undefined` for a bucket without one):
 * the largest value of those in the bucket, as the OpenTelemetry Prometheus compatibility rules say,
 * the latest on a tie.
 */
export function exemplarsByBucket(
  boundaries: readonly number[],
  exemplars: readonly MetricExemplar[],
): (MetricExemplar | undefined)[] {
  const byBucket = new Array<MetricExemplar | undefined>(boundaries.length + 1).fill(undefined);
  for (const exemplar of exemplars) {
    const i = bucketIndex(boundaries, exemplar.value);
    const kept = byBucket[i];
    if (
      kept === undefined ||
      exemplar.value > kept.value ||
      (exemplar.value === kept.value && later(exemplar, kept))
    ) {
      byBucket[i] = exemplar;
    }
  }
  return byBucket;
}

/** The latest of `exemplars`, or `undefined` when there is none. */
export function latestExemplar(exemplars: readonly MetricExemplar[]): MetricExemplar | undefined {
  let latest: MetricExemplar | undefined;
  for (const exemplar of exemplars) {
    if (latest === undefined || later(exemplar, latest)) latest = exemplar;
  }
  return latest;
}

/**
 * The exemplars a cumulative histogram keeps after a delta: in each bucket the delta's exemplar when
 * it has one, else the one kept before. At most one per bucket, however many collections pass.
 */
export function mergeBucketExemplars(
  boundaries: readonly number[],
  kept: readonly MetricExemplar[],
  delta: readonly MetricExemplar[],
): MetricExemplar[] {
  const before = exemplarsByBucket(boundaries, kept);
  const now = exemplarsByBucket(boundaries, delta);
  const merged: MetricExemplar[] = [];
  for (let i = 0; i < now.length; i++) {
    const exemplar = now[i] ?? before[i];
    if (exemplar !== undefined) merged.push(exemplar);
  }
  return merged;
}

/** The one exemplar a cumulative counter keeps after a delta: the delta's latest, else the kept one. */
export function mergeSeriesExemplar(
  kept: readonly MetricExemplar[],
  delta: readonly MetricExemplar[],
): MetricExemplar[] {
  const latest = latestExemplar(delta) ?? latestExemplar(kept);
  return latest === undefined ? [] : [latest];
}
