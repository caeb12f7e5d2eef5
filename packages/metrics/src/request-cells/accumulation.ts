import type { Attributes, HrTime } from '@opentelemetry/api';
import type { ExemplarMerge } from '../exemplars/reservoir.js';
import { ExemplarReservoir } from '../exemplars/reservoir.js';

/** Which exemplar reservoirs an accumulation keeps: a sum of the bits below. */
export type Reservoirs = number;
/** No exemplars (the filter is `always_off`). */
export const NO_RESERVOIRS: Reservoirs = 0;
/** The histogram's: one exemplar per bucket (AlignedHistogramBucketExemplarReservoir). */
export const BUCKET_RESERVOIR: Reservoirs = 1;
/** The counter's: one exemplar per series (SimpleFixedSizeExemplarReservoir of size 1). */
export const COUNTER_RESERVOIR: Reservoirs = 2;

/**
 * What one series recorded in one interval: the SDK's explicit-bucket histogram state (count, sum,
 * min, max, bucket counts, start time), and the exemplar reservoirs of its instruments. The request
 * counter of the same series reads `count`: it adds 1 whenever the histogram records. Written only
 * while it belongs to the current interval of its storage (`epoch`); after that it is a snapshot
 * that collections may share.
 */
export class Accumulation extends ExemplarReservoir {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  constructor(
    public startTime: HrTime,
    readonly epoch: number,
    readonly boundaries: readonly number[],
    readonly counts: number[],
    readonly reservoirs: Reservoirs,
  ) {
    super();
  }

  static empty(
    startTime: HrTime,
    epoch: number,
    boundaries: readonly number[],
    reservoirs: Reservoirs,
  ): Accumulation {
    return new Accumulation(
      startTime,
      epoch,
      boundaries,
      new Array<number>(boundaries.length + 1).fill(0),
      reservoirs,
    );
  }

  /** Records `value`; returns the index of its bucket. */
  record(value: number): number {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    // The bucket whose upper bound is the first one >= value, as the SDK's binary search finds it.
    const b = this.boundaries;
    let i = 0;
    while (i < b.length && b[i]! < value) i++;
    this.counts[i]!++;
    return i;
  }

  /**
   * Offers the measurement just recorded in `bucket`, which the exemplar filter let through, to the
   * reservoirs: the histogram's (the last one per bucket) and the counter's (one drawn uniformly
   * from the interval), with the counter's value, 1.
   */
  offer(
    bucket: number,
    value: number,
    timeMs: number,
    traceId: string,
    spanId: string,
    attributes: Attributes,
  ): void {
    if ((this.reservoirs & BUCKET_RESERVOIR) !== 0) {
      this.offerBucket(this.counts.length, bucket, value, timeMs, traceId, spanId, attributes);
    }
    if ((this.reservoirs & COUNTER_RESERVOIR) !== 0) {
      this.offerSeries(1, timeMs, traceId, spanId, attributes);
    }
  }

  /** A new accumulation holding both, with `this`'s start time (the SDK aggregator's `merge`). */
  merge(other: Accumulation, exemplars: ExemplarMerge): Accumulation {
    const merged = new Accumulation(
      this.startTime,
      this.epoch,
      this.boundaries,
      this.counts.map((c, i) => c + other.counts[i]!),
      this.reservoirs,
    );
    merged.count = this.count + other.count;
    merged.sum = this.sum + other.sum;
    merged.min = Math.min(this.min, other.min);
    merged.max = Math.max(this.max, other.max);

    this.mergeExemplarsInto(merged, other, exemplars);
    return merged;
  }
}
