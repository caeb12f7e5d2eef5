import type { Attributes, HrTime } from '@opentelemetry/api';
import { ExemplarSlot } from './exemplar-slot.js';

/** Which exemplar reservoirs an accumulation keeps: a sum of the bits below. */
export type Reservoirs = number;
/** No exemplars (the filter is `always_off`). */
export const NO_RESERVOIRS: Reservoirs = 0;
/** The histogram's: one exemplar per bucket (AlignedHistogramBucketExemplarReservoir). */
export const BUCKET_RESERVOIR: Reservoirs = 1;
/** The counter's: one exemplar per series (SimpleFixedSizeExemplarReservoir of size 1). */
export const COUNTER_RESERVOIR: Reservoirs = 2;

/**
 * How a merge combines the exemplars of two accumulations. `later`: each reservoir keeps the later
 * one's exemplar where it has one (a cumulative reader's state and a new interval: the reservoirs
 * start again at every collection, and the reader keeps its last exemplars). `sameCycle`: two
 * intervals that one reader collects at once (a storage shared by several readers): the counter's
 * exemplar is drawn from both in proportion to the measurements each was offered, so that the
 * reader's cycle is sampled uniformly, as one reservoir would have.
 */
export type ExemplarMerge = 'later' | 'sameCycle';

/**
 * What one series recorded in one interval: the SDK's explicit-bucket histogram state (count, sum,
 * min, max, bucket counts, start time), and the exemplar reservoirs of its instruments. The request
 * counter of the same series reads `count`: it adds 1 whenever the histogram records. Written only
 * while it belongs to the current interval of its storage (`epoch`); after that it is a snapshot
 * that collections may share.
 */
export class Accumulation {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** The histogram's exemplar of each bucket; made at the first exemplar. */
  bucketExemplars: (ExemplarSlot | undefined)[] | undefined;
  /** The counter's exemplar. */
  counterExemplar: ExemplarSlot | undefined;
  /** Measurements offered to the counter's reservoir in this interval. */
  counterOffered = 0;

  constructor(
    public startTime: HrTime,
    readonly epoch: number,
    readonly boundaries: readonly number[],
    readonly counts: number[],
    readonly reservoirs: Reservoirs,
  ) {}

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
   * reservoirs. The histogram's keeps the last measurement of each bucket (the specification allows
   * it instead of sampling within the bucket, and it needs no random number); the counter's keeps
   * one measurement of the interval, each offered one with the same chance (reservoir sampling: the
   * n-th replaces the kept one with probability 1/n), with the counter's value, 1.
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
      let slots = this.bucketExemplars;
      if (slots === undefined) {
        slots = new Array<ExemplarSlot | undefined>(this.counts.length);
        this.bucketExemplars = slots;
      }
      const slot = slots[bucket];
      if (slot === undefined) {
        slots[bucket] = new ExemplarSlot(value, timeMs, traceId, spanId, attributes);
      } else {
        slot.set(value, timeMs, traceId, spanId, attributes);
      }
    }
    if ((this.reservoirs & COUNTER_RESERVOIR) !== 0) {
      const seen = ++this.counterOffered;
      const slot = this.counterExemplar;
      if (slot === undefined) {
        this.counterExemplar = new ExemplarSlot(1, timeMs, traceId, spanId, attributes);
      } else if (Math.random() * seen < 1) {
        slot.set(1, timeMs, traceId, spanId, attributes);
      }
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

    const before = this.bucketExemplars;
    const after = other.bucketExemplars;
    merged.bucketExemplars =
      before === undefined || after === undefined
        ? (after ?? before)
        : before.map((slot, i) => after[i] ?? slot);

    if (exemplars === 'later' || this.counterExemplar === undefined) {
      merged.counterExemplar = other.counterExemplar ?? this.counterExemplar;
      merged.counterOffered = other.counterOffered;
    } else {
      const offered = this.counterOffered + other.counterOffered;
      merged.counterOffered = offered;
      merged.counterExemplar =
        other.counterExemplar !== undefined && Math.random() * offered < other.counterOffered
          ? other.counterExemplar
          : this.counterExemplar;
    }
    return merged;
  }
}
